// Longer than most files, on purpose: storing a batch exactly once (repeats, conflicts, its rollup)
// and rebuilding the rollups are one transaction's rules; split, the exactly-once rule would be
// spread over files.

import { phaseLocator } from '$lib/metrics';
import { dayIn } from '$lib/metrics/local-day';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { ProblemRowError } from '../http/problem';
import type { Db } from '../db';
import { sqlFirst, sqlRows, sqlRun, transaction } from '../db/statements';
import { bumpDataVersion, markAllDaysChanged } from '../stats/data-version';
import type { Cohort, Phase } from '$lib/domain/terms';
import { markDirty } from '../alerts/dirty';
import {
	addToRollup,
	emptyRollup,
	flushRollup,
	type CheckedBatch,
	toBatch,
	type CheckedEvent
} from './batch-rollup';

// Ingestion: validated outcome events go in with one transaction per batch, which also adds
// them to the per-day sufficient statistics the reports read (so a report never scans events).

interface StoredContent {
	occurred_at: string;
	cohort: string;
	segment: string | null;
	measures: string;
}

/**
 * What makes two sends of one id "the same event": the instant (not its spelling: both are
 * stored normalised), cohort, segment and measures (in any key order). An explicit phase
 * must agree with the windows, so it adds nothing.
 */
function sameContent(
	stored: StoredContent,
	event: Pick<CheckedEvent, 'occurredAt' | 'cohort' | 'segment' | 'measures'>
): boolean {
	if (stored.occurred_at !== event.occurredAt || stored.cohort !== event.cohort) return false;
	if (stored.segment !== event.segment) return false;
	const measures = JSON.parse(stored.measures) as Record<string, number>;
	const names = Object.keys(measures);
	if (names.length !== Object.keys(event.measures).length) return false;
	return names.every(
		(name) => Object.hasOwn(event.measures, name) && event.measures[name] === measures[name]
	);
}

export type StoreResult =
	{ ok: true; accepted: number; duplicates: number } | { ok: false; errors: ProblemRowError[] };

class ConflictingBatch extends Error {
	constructor(readonly errors: ProblemRowError[]) {
		super('conflicting event ids');
	}
}

const MAX_REPORTED_ERRORS = 100;

/** Stores checked events atomically; see storeBatch. */
export async function storeEvents(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	events: readonly CheckedEvent[],
	now: Date = new Date()
): Promise<StoreResult> {
	return storeBatch(db, pilotId, plan, toBatch(plan, events), now);
}

const EVENT_COLUMNS =
	'pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at';
/**
 * Rows per INSERT statement: one statement for 50 rows costs less per row than 50 single-row
 * statements (bench/RESULTS.md measures both), and 50 × 9 parameters stay far below either
 * engine's limit.
 */
const ROWS_PER_INSERT = 50;

/** An INSERT of `rows` events that skips ids already stored. */
function insertSql(rows: number): string {
	const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
	return `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(rows).fill(row).join(', ')}
	 ON CONFLICT (pilot_id, external_id) DO NOTHING`;
}
const INSERT_ONE = insertSql(1);
const INSERT_MANY = insertSql(ROWS_PER_INSERT);
const LAST_ID = 'SELECT coalesce(max(id), 0) AS id FROM events';
const STORED =
	'SELECT id, occurred_at, cohort, segment, measures FROM events WHERE pilot_id = ? AND external_id = ?';

/**
 * Stores a validated batch atomically: new ids are inserted and rolled up; an id already
 * stored with the same content is a duplicate (counted, nothing changes); with other content
 * it is a row error and the whole batch is rolled back. Inside a caller's transaction (the
 * batch with its audit row, all or nothing) it is a savepoint of it.
 */
export async function storeBatch(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	batch: CheckedBatch,
	now: Date = new Date()
): Promise<StoreResult> {
	const receivedAt = now.toISOString();
	const { index, externalId, occurredAt, day, phase, cohort, segment, measuresJson } = batch;
	const pushRow = (params: unknown[], i: number): void => {
		params.push(
			pilotId,
			externalId[i],
			occurredAt[i],
			day[i],
			phase[i],
			cohort[i],
			segment[i],
			measuresJson[i],
			receivedAt
		);
	};
	try {
		return await transaction(db, async (tx): Promise<StoreResult> => {
			// Ids grow, and every write transaction holds the write lock: a stored row with a
			// larger id than this was inserted by this batch. (Number(): PostgreSQL's bigint ids
			// may come back as strings.)
			const before = Number((await sqlFirst<{ id: number }>(tx, LAST_ID))!.id);
			const storedRow = async (i: number) => {
				const row = (await sqlFirst<StoredContent & { id: number }>(
					tx,
					STORED,
					pilotId,
					externalId[i]
				))!;
				return { ...row, id: Number(row.id) };
			};
			const errors: ProblemRowError[] = [];
			const fresh: number[] = [];
			/** Row i was not inserted: a duplicate of the stored event, or a conflict with it. */
			const judge = (i: number, row: StoredContent): void => {
				const same = sameContent(row, {
					occurredAt: occurredAt[i],
					cohort: cohort[i],
					segment: segment[i],
					measures: JSON.parse(measuresJson[i])
				});
				if (!same && errors.length < MAX_REPORTED_ERRORS) {
					errors.push({
						index: index[i],
						id: externalId[i],
						path: `events[${index[i]}].id`,
						message: `id "${externalId[i]}" is already stored with different content; an event cannot be changed, send it under a new id`
					});
				}
			};
			const params: unknown[] = [];
			let i = 0;
			for (; i + ROWS_PER_INSERT <= externalId.length; i += ROWS_PER_INSERT) {
				params.length = 0;
				for (let j = i; j < i + ROWS_PER_INSERT; j++) pushRow(params, j);
				if ((await sqlRun(tx, INSERT_MANY, ...params)) === ROWS_PER_INSERT) {
					for (let j = i; j < i + ROWS_PER_INSERT; j++) fresh.push(j);
					continue;
				}
				// Rare (retries): some id of the group was there already. Each row of the group
				// is new if its stored row came with this batch and no earlier row claimed its id.
				const claimed = new Set(fresh.map((f) => externalId[f]));
				for (let j = i; j < i + ROWS_PER_INSERT; j++) {
					const row = await storedRow(j);
					if (row.id > before && !claimed.has(externalId[j])) {
						fresh.push(j);
						claimed.add(externalId[j]);
					} else judge(j, row);
				}
			}
			for (; i < externalId.length; i++) {
				params.length = 0;
				pushRow(params, i);
				if ((await sqlRun(tx, INSERT_ONE, ...params)) === 1) fresh.push(i);
				else judge(i, await storedRow(i));
			}
			if (errors.length > 0) throw new ConflictingBatch(errors);
			const duplicates = externalId.length - fresh.length;
			// Duplicates are rare (retries): only then is the rollup redone for the new events.
			let rollup = batch.rollup;
			if (duplicates > 0) {
				rollup = emptyRollup();
				for (const f of fresh) {
					addToRollup(
						rollup,
						plan,
						day[f],
						phase[f],
						cohort[f],
						segment[f],
						JSON.parse(measuresJson[f])
					);
				}
			}
			await flushRollup(tx, pilotId, plan, rollup);
			if (fresh.length > 0) await markDirty(tx, pilotId, now);
			return { ok: true, accepted: fresh.length, duplicates };
		});
	} catch (error) {
		if (error instanceof ConflictingBatch) return { ok: false, errors: error.errors };
		throw error;
	}
}

/**
 * The lengths an IN list of parameters is padded to (repeating its last value), so that each
 * engine prepares a handful of statements, not one per length. The last is the longest list.
 */
const LIST_LENGTHS = [8, 64, 512] as const;
const LONGEST_LIST = LIST_LENGTHS[LIST_LENGTHS.length - 1];

/** `values` (1 to LONGEST_LIST of them) padded to a list length, and its placeholders. */
function paddedList<T>(values: readonly T[]): { placeholders: string; params: T[] } {
	const length = LIST_LENGTHS.find((l) => l >= values.length) ?? values.length;
	const params = [...values];
	while (params.length < length) params.push(values[values.length - 1]);
	return { placeholders: Array(length).fill('?').join(', '), params };
}

/**
 * Without storing anything: which events would be new, which are already stored (or earlier
 * in the list) with the same content, and which conflict with a stored event of their id.
 */
export async function compareWithStored(
	db: Db,
	pilotId: number,
	events: readonly CheckedEvent[]
): Promise<{ fresh: CheckedEvent[]; duplicates: number; conflicts: CheckedEvent[] }> {
	const stored = new Map<string, StoredContent>();
	// One snapshot for every chunk.
	await transaction(
		db,
		async (tx) => {
			for (let i = 0; i < events.length; i += LONGEST_LIST) {
				const ids = events.slice(i, i + LONGEST_LIST).map((e) => e.externalId);
				const { placeholders, params } = paddedList(ids);
				const found = await sqlRows<StoredContent & { external_id: string }>(
					tx,
					`SELECT external_id, occurred_at, cohort, segment, measures FROM events
					 WHERE pilot_id = ? AND external_id IN (${placeholders})`,
					pilotId,
					...params
				);
				for (const row of found) stored.set(row.external_id, row);
			}
		},
		{ readOnly: true }
	);
	const fresh: CheckedEvent[] = [];
	const conflicts: CheckedEvent[] = [];
	let duplicates = 0;
	for (const event of events) {
		const earlier = stored.get(event.externalId);
		if (earlier === undefined) {
			fresh.push(event);
			stored.set(event.externalId, {
				occurred_at: event.occurredAt,
				cohort: event.cohort,
				segment: event.segment,
				measures: event.measuresJson
			});
		} else if (sameContent(earlier, event)) duplicates += 1;
		else conflicts.push(event);
	}
	return { fresh, duplicates, conflicts };
}

/** Every table derived from a pilot's events: what a rebuild empties and fills again. */
const ROLLUP_TABLES = [
	'daily_stats',
	'daily_cases',
	'quantile_values',
	'quantile_buckets',
	'quantile_ranges',
	'segment_stats',
	'phase_stats',
	'phase_cases'
] as const;

/**
 * Empties a pilot's rollups (its events stay), inside the caller's transaction. The data
 * version is raised, not deleted: a value it had before must never come back.
 */
export async function deleteRollups(db: Db, pilotId: number): Promise<void> {
	for (const table of ROLLUP_TABLES) {
		await sqlRun(db, `DELETE FROM ${table} WHERE pilot_id = ?`, pilotId);
	}
	// The days' marks stay and move to the new version: a process keeping per-day rows reads
	// each day again and so also learns of those that no longer have any.
	await markAllDaysChanged(db, pilotId, await bumpDataVersion(db, pilotId));
}

interface StoredEvent {
	id: number;
	external_id: string;
	occurred_at: string;
	day: string;
	phase: Phase | null;
	cohort: Cohort;
	segment: string | null;
	measures: string;
}

/**
 * Events read per statement by a rebuild: a pilot's events are read a page at a time, in the
 * order of their external ids (the unique index's, so no sort; on PostgreSQL in the column's
 * collation, which the next page's `>` follows too), so a large pilot is never all in memory.
 */
const REBUILD_PAGE = 5_000;
const PAGE_COLUMNS = 'id, external_id, occurred_at, day, phase, cohort, segment, measures';
const FIRST_PAGE = `SELECT ${PAGE_COLUMNS} FROM events WHERE pilot_id = ?
	 ORDER BY external_id LIMIT ${REBUILD_PAGE}`;
const NEXT_PAGE = `SELECT ${PAGE_COLUMNS} FROM events WHERE pilot_id = ? AND external_id > ?
	 ORDER BY external_id LIMIT ${REBUILD_PAGE}`;

/**
 * Recomputes a pilot's rollups from its stored events, after an amendment changed its metrics,
 * windows or time zone. Runs inside the caller's transaction. Events that now fall outside
 * both windows stay stored with no phase and count nowhere.
 */
export async function rebuildRollups(db: Db, pilotId: number, plan: PlanDefinition): Promise<void> {
	await deleteRollups(db, pilotId);
	const timezone = plan.timezone ?? 'UTC';
	const phaseAt = phaseLocator(plan);
	const rollup = emptyRollup();
	// Events whose day or phase moved, by their new day and phase: one UPDATE per list of ids.
	const moved = new Map<string, { day: string; phase: Phase | null; ids: number[] }>();
	const update = async (group: { day: string; phase: Phase | null; ids: number[] }) => {
		const { placeholders, params } = paddedList(group.ids);
		await sqlRun(
			db,
			`UPDATE events SET day = ?, phase = ? WHERE id IN (${placeholders})`,
			group.day,
			group.phase,
			...params
		);
		group.ids.length = 0;
	};
	let page = await sqlRows<StoredEvent>(db, FIRST_PAGE, pilotId);
	while (page.length > 0) {
		for (const row of page) {
			const t = Date.parse(row.occurred_at);
			const phase = phaseAt(t);
			const day = dayIn(timezone, t);
			if (phase !== row.phase || day !== row.day) {
				const key = `${day}|${phase}`;
				let group = moved.get(key);
				if (group === undefined) {
					group = { day, phase, ids: [] };
					moved.set(key, group);
				}
				group.ids.push(Number(row.id));
				if (group.ids.length === LONGEST_LIST) await update(group);
			}
			if (phase !== null) {
				addToRollup(rollup, plan, day, phase, row.cohort, row.segment, JSON.parse(row.measures));
			}
		}
		if (page.length < REBUILD_PAGE) break;
		page = await sqlRows<StoredEvent>(db, NEXT_PAGE, pilotId, page[page.length - 1].external_id);
	}
	for (const group of moved.values()) if (group.ids.length > 0) await update(group);
	await flushRollup(db, pilotId, plan, rollup);
}
