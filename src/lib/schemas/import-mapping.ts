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

export const importMappingSchema = z.object({
	id: column,
	occurredAt: column,
	/** The zone of timestamps written without an offset ("2026-10-03 09:14"). */
	timezone: z.string().refine(isTimeZone, 'not a known time zone, e.g. Europe/Madrid'),
	/** How dates without a year first are written: 03/10/2026 is dmy in Europe, mdy in the US. */
	dateOrder: z.enum(['ymd', 'dmy', 'mdy']).default('ymd'),
	decimalSeparator: z.enum(['.', ',']).default('.'),
	segment: column.nullable().default(null),
	cohort: column.nullable().default(null),
	measures: z.array(measureMappingSchema).min(1, 'map at least one measure').max(50)
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
