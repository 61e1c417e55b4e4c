import type { ImportMapping, MeasureMapping } from '../../schemas/import-mapping';

// A first guess at the mapping from the column names, so the common case is a glance and a
// click: the id and time columns by their usual names, and measures whose name is a column.

const idNames =
	/^(id|#|ticket|ticket[ _-]?(id|number|no)|case[ _-]?(id|number)?|number|external[ _-]?id)$/i;
const timeNames = /(created|opened|occurred|received|submitted|date|time|_at$)/i;

export function suggestMapping(
	columns: readonly string[],
	measures: readonly string[],
	defaults: Pick<ImportMapping, 'timezone' | 'decimalSeparator' | 'dateOrder'>
): ImportMapping {
	const id = columns.find((c) => idNames.test(c.trim())) ?? columns[0] ?? '';
	const occurredAt = columns.find((c) => c !== id && timeNames.test(c)) ?? columns[1] ?? '';
	const byName = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
	const mapped: MeasureMapping[] = measures.flatMap((measure) => {
		const column = byName.get(measure.toLowerCase());
		return column ? [{ measure, source: { kind: 'number' as const, column } }] : [];
	});
	const segment = columns.find((c) => /^(segment|team|channel|group|queue)$/i.test(c.trim()));
	const cohort = columns.find((c) => /^cohort$/i.test(c.trim()));
	return {
		id,
		occurredAt,
		...defaults,
		segment: segment ?? null,
		cohort: cohort ?? null,
		measures: mapped
	};
}
