import { planMeasures } from '$lib/metrics';
import { csvLine, safeText, type Cell } from '$lib/domain/csv-write';
import type { PlanDefinition } from '$lib/schemas/plan';
import { getDb, type Db } from '../db';
import { sqlRows } from '../db/statements';

// CSV downloads, streamed a page at a time (keyset paging: a later page starts after the last
// id of the one before), so a pilot with millions of events never sits in memory, and no
// statement stays open between pages (better-sqlite3 allows one running statement; on
// PostgreSQL each page is one query on whichever pooled connection is free).

const PAGE = 5_000;

function pagedCsv(
	header: string,
	page: (afterId: number) => Promise<{ lastId: number; text: string } | null>
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let after = 0;
	let headerSent = false;
	return new ReadableStream({
		async pull(controller) {
			if (!headerSent) {
				headerSent = true;
				controller.enqueue(encoder.encode(header));
				return;
			}
			const next = await page(after);
			if (next === null) {
				controller.close();
				return;
			}
			after = next.lastId;
			controller.enqueue(encoder.encode(next.text));
		}
	});
}

/** One page of rows as CSV lines, with the last row's id; null when the page is empty. */
function csvPage<R extends { id?: unknown }>(
	rows: R[],
	cells: (row: R) => Cell[]
): { lastId: number; text: string } | null {
	if (rows.length === 0) return null;
	const text = rows.map((row) => csvLine(cells(row))).join('');
	return { lastId: rows[rows.length - 1].id as number, text };
}

/** The stored columns an events CSV line is made of. */
type EventColumns = Record<'external_id' | 'occurred_at' | 'cohort' | 'measures', string> & {
	segment: string | null;
};
/** The stored columns a decisions CSV line is made of. */
type DecisionColumns = Record<'decided_at' | 'decision' | 'rationale', string> &
	Record<'recommended' | 'decided_by', string | null>;

/**
 * A pilot's rows of `table` as CSV, a page at a time in id order: each page selects the id and
 * `columns` (named as in `R`) of the rows after the last page's.
 */
function pilotRowsCsv<R extends object>(
	db: Db,
	table: 'events' | 'decisions',
	pilotId: number,
	header: string,
	columns: (keyof R & string)[],
	cells: (row: R) => Cell[]
): ReadableStream<Uint8Array> {
	return pagedCsv(header, async (after) => {
		const rows = await sqlRows<R & { id: number }>(
			db,
			`SELECT id, ${columns.join(', ')} FROM ${table}
			 WHERE pilot_id = ? AND id > ? ORDER BY id LIMIT ${PAGE}`,
			pilotId,
			after
		);
		return csvPage(rows, cells);
	});
}

/** The columns of the events CSV: the import format of the events API, measures of the plan. */
export function eventColumns(plan: PlanDefinition | null): string[] {
	const measures = plan ? [...planMeasures(plan).known].sort() : [];
	return ['id', 'occurred_at', 'segment', 'cohort', ...measures];
}

/**
 * `round-trip`: exactly what was stored, for the events API and the import to read back.
 * `spreadsheet`: ids, segments and cohorts that start like a formula (= + - @, a tab or a
 * carriage return) are prefixed with an apostrophe, so a spreadsheet shows them as text
 * instead of running them; numbers stay numbers.
 */
export const EVENT_CSV_VARIANTS = ['round-trip', 'spreadsheet'] as const;
export type EventCsvVariant = (typeof EVENT_CSV_VARIANTS)[number];

const asStored = (value: string | null): string | null => value;

/**
 * A pilot's events in the format `POST /api/v1/pilots/{slug}/events` reads as text/csv, so an
 * export imports into another pilot unchanged. The phase is left out: it follows from the
 * windows of the pilot that reads the file.
 */
export async function eventsCsv(
	pilotId: number,
	plan: PlanDefinition | null,
	db: Db = getDb(),
	variant: EventCsvVariant = 'round-trip'
): Promise<ReadableStream<Uint8Array>> {
	const text = variant === 'spreadsheet' ? safeText : asStored;
	const columns = eventColumns(plan);
	const measures = columns.slice(4);
	return pilotRowsCsv<EventColumns>(
		db,
		'events',
		pilotId,
		csvLine(columns),
		['external_id', 'occurred_at', 'segment', 'cohort', 'measures'],
		(row) => {
			const values = JSON.parse(row.measures) as Record<string, number>;
			return [
				text(row.external_id),
				row.occurred_at,
				text(row.segment),
				text(row.cohort),
				...measures.map((m) => (Object.hasOwn(values, m) ? values[m] : null))
			];
		}
	);
}

/** The decision log of one pilot, oldest first. */
export async function decisionsCsv(
	pilotId: number,
	db: Db = getDb()
): Promise<ReadableStream<Uint8Array>> {
	return pilotRowsCsv<DecisionColumns>(
		db,
		'decisions',
		pilotId,
		csvLine(['decided_at', 'decision', 'recommended', 'override', 'decided_by', 'rationale']),
		['decided_at', 'decision', 'recommended', 'decided_by', 'rationale'],
		(row) => [
			row.decided_at,
			row.decision,
			row.recommended,
			row.recommended === null ? null : row.recommended !== row.decision,
			safeText(row.decided_by),
			safeText(row.rationale)
		]
	);
}

/** The whole audit log, oldest first; before and after as JSON text. */
export async function auditCsv(db: Db = getDb()): Promise<ReadableStream<Uint8Array>> {
	const columns = [
		'at',
		'actor_type',
		'actor',
		'action',
		'target_type',
		'target_id',
		'target',
		'pilot',
		'detail',
		'address',
		'before',
		'after'
	];
	return pagedCsv(csvLine(columns), async (after) => {
		const rows = await sqlRows<Record<string, string | number | null>>(
			db,
			`SELECT a.id, a.at, a.actor_type, a.actor_label, a.action, a.target_type, a.target_id,
			        a.target_label, p.slug AS pilot, a.detail, a.address, a.before, a.after
			 FROM audit_log a LEFT JOIN pilots p ON p.id = a.pilot_id
			 WHERE a.id > ? ORDER BY a.id LIMIT ${PAGE}`,
			after
		);
		return csvPage(rows, (row) => [
			row.at,
			row.actor_type,
			safeText(row.actor_label as string | null),
			row.action,
			row.target_type,
			safeText(row.target_id as string | null),
			safeText(row.target_label as string | null),
			row.pilot,
			safeText(row.detail as string | null),
			row.address,
			safeText(row.before as string | null),
			safeText(row.after as string | null)
		]);
	});
}

/** The answer for a CSV download. */
export function csvResponse(body: ReadableStream<Uint8Array>, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
}
