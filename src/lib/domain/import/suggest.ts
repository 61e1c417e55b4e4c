import {
	COMMON_MISSING_MARKERS,
	type ImportMapping,
	type MeasureMapping
} from '../../schemas/import-mapping';
import { readBoolean, readNumber, readTimestamp, type DateOrder } from './values';

// A first guess at the mapping from the column names and the first rows, so the common case is
// a glance and a click: the id and time columns by their usual names and by what they hold,
// measures whose name is a column (yes/no when the column holds Y/N or true/false), the
// missing-value markers the rows use, and whether the file is an event log.

const idNames =
	/^(id|#|ticket|ticket[ _-]?(id|number|no)|case[ _-]?(id|number)?|number|external[ _-]?id)$/i;
/** When a case began, preferred over other times (an update time orders an event log's rows). */
const startNames = /(created|opened|occurred|received|submitted|start)/i;
const timeNames = /(created|opened|occurred|received|submitted|date|time|_at$|_on$)/i;
const timeOfDay = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?$/;
const timeOfDayNames = /(^|[ _-])(time|hour|hora|heure|uhrzeit)([ _-]|$)/i;
/** Columns that order the rows of a case in an event log, most telling first. */
const orderNames = [/updated|modified|changed/i, /mod_?count|sequence|^seq|version/i];

type Defaults = Pick<ImportMapping, 'timezone' | 'decimalSeparator' | 'dateOrder'>;

/** The non-empty cells of a column in the sample, markers left out. */
function cellsOf(
	columns: readonly string[],
	rows: readonly (readonly string[])[],
	column: string,
	markers: readonly string[]
): string[] {
	const i = columns.indexOf(column);
	if (i === -1) return [];
	return rows.map((r) => (r[i] ?? '').trim()).filter((c) => c !== '' && !markers.includes(c));
}

/** Most (90%) of the column's cells pass, and there is at least one. */
const mostly = (cells: readonly string[], test: (cell: string) => boolean): boolean =>
	cells.length > 0 && cells.filter(test).length >= 0.9 * cells.length;

/** Markers from the common list that some sample cell is exactly. */
export function detectMissingMarkers(rows: readonly (readonly string[])[]): string[] {
	const found = new Set<string>();
	for (const row of rows) for (const cell of row) found.add(cell.trim());
	return COMMON_MISSING_MARKERS.filter((marker) => found.has(marker));
}

/** How many ids appear on more than one sample row (an event log has several rows per case). */
export function repeatedIds(
	columns: readonly string[],
	rows: readonly (readonly string[])[],
	id: string
): number {
	const i = columns.indexOf(id);
	if (i === -1) return 0;
	const seen = new Map<string, number>();
	for (const row of rows) {
		const cell = (row[i] ?? '').trim();
		if (cell !== '') seen.set(cell, (seen.get(cell) ?? 0) + 1);
	}
	return [...seen.values()].filter((n) => n > 1).length;
}

/** Y/N, yes/no, true/false (not only 0/1, which may as well be counts). */
export function looksYesNo(cells: readonly string[]): boolean {
	return (
		mostly(cells, (c) => readBoolean(c).ok) &&
		cells.every((c) => readBoolean(c).ok) &&
		cells.some((c) => !readNumber(c, '.').ok)
	);
}

export function suggestMapping(
	columns: readonly string[],
	measures: readonly string[],
	defaults: Defaults,
	rows: readonly (readonly string[])[] = []
): ImportMapping {
	const missingMarkers = detectMissingMarkers(rows);
	const cells = (column: string): string[] => cellsOf(columns, rows, column, missingMarkers);
	const dateLike = (column: string): boolean =>
		mostly(cells(column), (c) => readTimestamp(c, 'UTC', defaults.dateOrder).ok);

	const id = columns.find((c) => idNames.test(c.trim())) ?? columns[0] ?? '';
	const others = columns.filter((c) => c !== id);
	// By name and by content: `opened_by` is named like a time but holds people.
	const occurredAt =
		(rows.length
			? (others.find((c) => startNames.test(c) && dateLike(c)) ??
				others.find((c) => timeNames.test(c) && dateLike(c)) ??
				others.find(dateLike))
			: others.find((c) => timeNames.test(c))) ??
		others.find((c) => timeNames.test(c)) ??
		columns[1] ??
		'';
	const dateOnly = rows.length > 0 && mostly(cells(occurredAt), (c) => !c.includes(':'));
	const timeColumns = dateOnly
		? others.filter((c) => c !== occurredAt && mostly(cells(c), (v) => timeOfDay.test(v)))
		: [];
	const occurredAtTime = timeColumns.find((c) => timeOfDayNames.test(c)) ?? timeColumns[0] ?? null;

	const byName = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
	const mapped: MeasureMapping[] = measures.flatMap((measure) => {
		const column = byName.get(measure.toLowerCase());
		if (!column) return [];
		const kind = looksYesNo(cells(column)) ? ('boolean' as const) : ('number' as const);
		return [{ measure, source: { kind, column } }];
	});
	const segment = columns.find((c) => /^(segment|team|channel|group|queue)$/i.test(c.trim()));
	const cohort = columns.find((c) => /^cohort$/i.test(c.trim()));

	const eventLog = repeatedIds(columns, rows, id) > 0;
	const orderBy = eventLog
		? (orderNames
				.map((pattern) => others.find((c) => pattern.test(c) && c !== occurredAt))
				.find((c) => c !== undefined) ?? null)
		: null;
	return {
		id,
		occurredAt,
		occurredAtTime,
		...defaults,
		segment: segment ?? null,
		cohort: cohort ?? null,
		measures: mapped,
		missingMarkers,
		badCell: 'row',
		rowsPerCase: eventLog ? 'last' : 'one',
		orderBy
	};
}

/** The columns of a mapping that hold timestamps. */
function timestampColumns(mapping: ImportMapping): string[] {
	const columns = [mapping.occurredAt];
	for (const { source } of mapping.measures)
		if (source.kind === 'duration') columns.push(source.start, source.end);
	return [...new Set(columns)];
}

/**
 * A saved profile's date order against this file's rows: when the profile's order cannot read
 * a date of the sample that the detected order reads, the file is dated differently, and the
 * detected order is the one to use (with a word to the user). Null when the profile fits.
 */
export function dateOrderClash(
	mapping: ImportMapping,
	columns: readonly string[],
	rows: readonly (readonly string[])[],
	detected: DateOrder
): DateOrder | null {
	if (mapping.dateOrder === detected) return null;
	const markers = mapping.missingMarkers ?? [];
	const cells = timestampColumns(mapping).flatMap((c) => cellsOf(columns, rows, c, markers));
	const reads = (order: DateOrder): number =>
		cells.filter((c) => readTimestamp(c, 'UTC', order).ok).length;
	return reads(detected) > reads(mapping.dateOrder) ? detected : null;
}
