import type {
	ImportMapping,
	ImportMappingInput,
	MeasureMapping,
	RowsPerCase
} from '$lib/schemas/import-mapping';

// The wizard edits a mapping as one row per measure of the plan, with every field a string
// (as form controls hold them); these turn that into the mapping contract and back.

/** The mapping's fields other than the measures, as form controls hold them ('' = none). */
export interface MappingBase {
	id: string;
	occurredAt: string;
	occurredAtTime: string;
	timezone: string;
	dateOrder: 'ymd' | 'dmy' | 'mdy';
	decimalSeparator: '.' | ',';
	segment: string;
	cohort: string;
	missingMarkers: string[];
	badCell: 'row' | 'measure';
	rowsPerCase: RowsPerCase;
	orderBy: string;
}

/** A mapping to form fields; a profile saved before a field existed gets its default. */
export function baseFromMapping(mapping: ImportMapping): MappingBase {
	return {
		id: mapping.id,
		occurredAt: mapping.occurredAt,
		occurredAtTime: mapping.occurredAtTime ?? '',
		timezone: mapping.timezone,
		dateOrder: mapping.dateOrder,
		decimalSeparator: mapping.decimalSeparator,
		segment: mapping.segment ?? '',
		cohort: mapping.cohort ?? '',
		missingMarkers: [...(mapping.missingMarkers ?? [])],
		badCell: mapping.badCell ?? 'row',
		rowsPerCase: mapping.rowsPerCase ?? 'one',
		orderBy: mapping.orderBy ?? ''
	};
}

const orNull = (column: string): string | null => (column === '' ? null : column);

/** The whole mapping input, for the schema to judge. */
export function mappingInput(base: MappingBase, rows: readonly MeasureRow[]): ImportMappingInput {
	return {
		...base,
		occurredAtTime: orNull(base.occurredAtTime),
		segment: orNull(base.segment),
		cohort: orNull(base.cohort),
		missingMarkers: [...base.missingMarkers],
		orderBy: base.rowsPerCase === 'one' ? null : orNull(base.orderBy),
		measures: measuresFromRows(rows)
	};
}

export type SourceKind = 'none' | 'number' | 'boolean' | 'duration' | 'category';

export interface MeasureRow {
	measure: string;
	kind: SourceKind;
	column: string;
	start: string;
	end: string;
	unit: 'minutes' | 'hours';
	/** Category text → number as typed; '' = not observed. */
	values: Record<string, string>;
}

export function emptyRow(measure: string): MeasureRow {
	return { measure, kind: 'none', column: '', start: '', end: '', unit: 'minutes', values: {} };
}

/** Rows for the plan's measures, filled from a mapping (a suggestion or a saved profile). */
export function rowsFromMapping(measures: readonly string[], mapping: ImportMapping): MeasureRow[] {
	return measures.map((measure) => {
		const row = emptyRow(measure);
		const found = mapping.measures.find((m) => m.measure === measure);
		if (!found) return row;
		const source = found.source;
		row.kind = source.kind;
		if (source.kind === 'duration') {
			row.start = source.start;
			row.end = source.end;
			row.unit = source.unit;
		} else {
			row.column = source.column;
		}
		if (source.kind === 'category') {
			row.values = Object.fromEntries(
				Object.entries(source.values).map(([k, v]) => [k, v === null ? '' : String(v)])
			);
		}
		return row;
	});
}

/** The mapping input for the schema to judge; an unreadable category number stays NaN. */
export function measuresFromRows(rows: readonly MeasureRow[]): ImportMappingInput['measures'] {
	return rows.flatMap((row): MeasureMapping[] => {
		switch (row.kind) {
			case 'none':
				return [];
			case 'number':
			case 'boolean':
				return [{ measure: row.measure, source: { kind: row.kind, column: row.column } }];
			case 'duration':
				return [
					{
						measure: row.measure,
						source: { kind: 'duration', start: row.start, end: row.end, unit: row.unit }
					}
				];
			case 'category':
				return [
					{
						measure: row.measure,
						source: {
							kind: 'category',
							column: row.column,
							values: Object.fromEntries(
								Object.entries(row.values).map(([k, v]) => [
									k,
									v.trim() === '' ? null : Number(v.trim().replace(',', '.'))
								])
							)
						}
					}
				];
		}
	});
}

/** Distinct non-empty values of a column in the sample rows, for the category editor. */
export function distinctValues(
	columns: readonly string[],
	rows: readonly (readonly string[])[],
	column: string,
	limit = 20
): string[] {
	const i = columns.indexOf(column);
	if (i === -1) return [];
	const seen = new Set<string>();
	for (const row of rows) {
		const cell = (row[i] ?? '').trim();
		if (cell !== '') seen.add(cell);
		if (seen.size >= limit) break;
	}
	return [...seen];
}
