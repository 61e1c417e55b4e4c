import { z } from 'zod';

// How the columns of a tool's CSV export become outcome events: the contract of the import
// wizard and of the import profiles saved per pilot. Columns are named by their header (or
// "Column 3" when the file has none), so next week's export of the same tool maps the same.

const column = z.string().trim().min(1, 'choose a column').max(200);

export const measureSourceSchema = z.discriminatedUnion('kind', [
	/** The cell is the number (decimal point or comma, as the mapping says). */
	z.object({ kind: z.literal('number'), column }),
	/** end − start, two timestamp columns, in minutes or hours. */
	z.object({
		kind: z.literal('duration'),
		start: column,
		end: column,
		unit: z.enum(['minutes', 'hours'])
	}),
	/** yes/no, true/false, 1/0 and their usual spellings. */
	z.object({ kind: z.literal('boolean'), column }),
	/** Text values with a number each ("good" = 1, "bad" = 0); null = not observed. */
	z.object({
		kind: z.literal('category'),
		column,
		values: z.record(z.string().max(200), z.number().finite().nullable())
	})
]);

export const measureMappingSchema = z.object({
	measure: z.string().trim().min(1, 'choose a measure').max(100),
	source: measureSourceSchema
});

/** Cells that mean "not recorded" in common exports, offered as missing-value markers. */
export const COMMON_MISSING_MARKERS = [
	'?',
	'NA',
	'N/A',
	'n/a',
	'-',
	'null',
	'NULL',
	'#N/A',
	'None'
] as const;

/**
 * How many rows a case has. `one`: each row is a case, a repeated id is rejected. `first` /
 * `last`: an event log; the first or last row of each case by `orderBy` (file order when null)
 * is imported and the others are left out. `combine`: one event per case, its time from its
 * first row, each measure its latest observed value.
 */
export const ROWS_PER_CASE = ['one', 'first', 'last', 'combine'] as const;
export type RowsPerCase = (typeof ROWS_PER_CASE)[number];

export const importMappingSchema = z.object({
	id: column,
	occurredAt: column,
	/** The time of day, when the export writes the date and the time in two columns. */
	occurredAtTime: column.nullable().default(null),
	/** The zone of timestamps written without an offset ("2026-10-03 09:14"). */
	timezone: z.string().refine(isTimeZone, 'not a known time zone, e.g. Europe/Madrid'),
	/** How dates without a year first are written: 03/10/2026 is dmy in Europe, mdy in the US. */
	dateOrder: z.enum(['ymd', 'dmy', 'mdy']).default('ymd'),
	decimalSeparator: z.enum(['.', ',']).default('.'),
	segment: column.nullable().default(null),
	cohort: column.nullable().default(null),
	measures: z.array(measureMappingSchema).min(1, 'map at least one measure').max(50),
	/** Cells read as "not recorded", like an empty cell (`?`, `NA`, `-`…), compared trimmed. */
	missingMarkers: z.array(z.string().trim().min(1).max(20)).max(30).default([]),
	/** A measure cell that cannot be read rejects its whole row, or drops just that measure. */
	badCell: z.enum(['row', 'measure']).default('row'),
	rowsPerCase: z.enum(ROWS_PER_CASE).default('one'),
	/** The column that orders a case's rows (a sequence number or an update time). */
	orderBy: column.nullable().default(null)
});

export type MeasureSource = z.infer<typeof measureSourceSchema>;
export type MeasureMapping = z.infer<typeof measureMappingSchema>;
export type ImportMapping = z.infer<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export const importProfileSchema = z.object({
	name: z.string().trim().min(1, 'give the profile a name').max(100),
	mapping: importMappingSchema
});

function isTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return zone.length > 0;
	} catch {
		return false;
	}
}
