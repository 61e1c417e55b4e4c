import { z } from 'zod';
import { cohorts, phases } from '../domain/terms';

/**
 * Text without the NUL character (U+0000), which PostgreSQL cannot store in text: refused on both
 * engines, so that a database moves between them and a client meets the same rule on either.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
export const withoutNul = /^[^\u0000]*$/;

/** An outcome event (shared docs/api.md "Outcome events"): one observed case. */
export const eventSchema = z.object({
	id: z
		.string()
		.min(1, 'an id is required')
		.max(200, 'an id has at most 200 characters')
		.regex(withoutNul, 'an id cannot contain the NUL character (U+0000)'),
	occurredAt: z.iso.datetime({
		offset: true,
		error: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-10-03T09:14:00+02:00'
	}),
	phase: z.enum(phases).optional(),
	segment: z
		.string()
		.max(200)
		.regex(withoutNul, 'a segment cannot contain the NUL character (U+0000)')
		.optional(),
	cohort: z.enum(cohorts).default('ai'),
	measures: z.record(
		z.string().min(1),
		z.union([z.number(), z.boolean().transform((b) => (b ? 1 : 0))], {
			error: 'a measure is a finite number (or true/false)'
		})
	)
});

export type OutcomeEvent = z.infer<typeof eventSchema>;
export type OutcomeEventInput = z.input<typeof eventSchema>;

/** Columns of the CSV format that are not measures. */
export const CSV_FIXED_COLUMNS = ['id', 'occurred_at', 'phase', 'segment', 'cohort'] as const;

/**
 * Turns a CSV record (header → cell) into event input: an empty cell is a measure not
 * observed; `true`/`false` become 1/0; any other cell must be a number. Returns the input for
 * `eventSchema` or the message of the first bad cell.
 */
export function eventInputFromCsv(
	record: Readonly<Record<string, string | undefined>>
): { ok: true; input: Record<string, unknown> } | { ok: false; path: string; message: string } {
	const measures: Record<string, number> = {};
	const fixed = new Set<string>(CSV_FIXED_COLUMNS);
	for (const [column, raw] of Object.entries(record)) {
		if (fixed.has(column) || raw === undefined) continue;
		const cell = raw.trim();
		if (cell === '') continue;
		const lower = cell.toLowerCase();
		const value = lower === 'true' ? 1 : lower === 'false' ? 0 : Number(cell);
		if (!Number.isFinite(value)) {
			return {
				ok: false,
				path: `measures.${column}`,
				message: `"${cell}" is not a finite number`
			};
		}
		measures[column] = value;
	}
	const optional = (column: string): string | undefined => {
		const cell = record[column]?.trim();
		return cell === undefined || cell === '' ? undefined : cell;
	};
	return {
		ok: true,
		input: {
			id: record.id ?? '',
			occurredAt: record.occurred_at ?? '',
			phase: optional('phase'),
			segment: optional('segment'),
			cohort: optional('cohort'),
			measures
		}
	};
}
