// Longer than most files, on purpose: storing a batch exactly once (repeats, conflicts, its rollup)
// and rebuilding the rollups are one transaction's rules; split, the exactly-once rule would be
// spread over files.

import { phaseLocator } from '$lib/metrics';
import { dayIn } from '$lib/metrics/local-day';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { ProblemRowError } from '../http/problem';
import { statement, type Db } from '../db';
import { transaction } from '../db/statements';
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
	return await storeEventsSync(db, pilotId, plan, events, now);
}

/** storeEvents inside a caller's transaction. */
export async function storeEventsSync(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	events: readonly CheckedEvent[],
	now: Date
): Promise<StoreResult> {
	return storeBatchSync(db, pilotId, plan, toBatch(plan, events), now);
}

const EVENT_COLUMNS =
	'pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at';
/**
 * Rows per INSERT statement: one statement for 50 rows costs less per row than 50 single-row
 * statements (bench/RESULTS.md measures both), and 50 × 9 parameters stay far below SQLite's
 * limit.
 */
const ROWS_PER_INSERT = 50;

/** An INSERT of `rows` events that skips ids already stored. */
function insertSql(rows: number): string {
	const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
	return `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(rows).fill(row).join(', ')}
	 ON CONFLICT (pilot_id, external_id) DO NOTHING`;
}

/**
 * Stores a validated batch atomically: new ids are inserted and rolled up; an id already
 * stored with the same content is a duplicate (counted, nothing changes); with other content
 * it is a row error and the whole batch is rolled back.
 */
export async function storeBatch(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	batch: CheckedBatch,
	now: Date = new Date()
): Promise<StoreResult> {
	return await storeBatchSync(db, pilotId, plan, batch, now);
}

/** storeBatch inside a caller's transaction (the batch with its audit row, all or nothing). */
export async function storeBatchSync(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	batch: CheckedBatch,
	now: Date
): Promise<StoreResult> {
	const insertOne = statement(db, insertSql(1));
	const insertMany = statement(db, insertSql(ROWS_PER_INSERT));
	const lastId = statement(db, 'SELECT coalesce(max(id), 0) AS id FROM events');
	const stored = statement(
		db,
		'SELECT id, occurred_at, cohort, segment, measures FROM events WHERE pilot_id = ? AND external_id = ?'
	);
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
			// Ids grow: a stored row with a larger id than this was inserted by this batch.
			const before = (lastId.get() as { id: number }).id;
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
				if (insertMany.run(params).changes === ROWS_PER_INSERT) {
					for (let j = i; j < i + ROWS_PER_INSERT; j++) fresh.push(j);
					continue;
				}
				// Rare (retries): some id of the group was there already. Each row of the group
				// is new if its stored row came with this batch and no earlier row claimed its id.
				const claimed = new Set(fresh.map((f) => externalId[f]));
				for (let j = i; j < i + ROWS_PER_INSERT; j++) {
					const row = stored.get(pilotId, externalId[j]) as StoredContent & { id: number };
					if (row.id > before && !claimed.has(externalId[j])) {
						fresh.push(j);
						claimed.add(externalId[j]);
					} else judge(j, row);
				}
			}
			for (; i < externalId.length; i++) {
				params.length = 0;
				pushRow(params, i);
				if (insertOne.run(params).changes === 1) fresh.push(i);
				else judge(i, stored.get(pilotId, externalId[i]) as StoredContent);
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
			if (fresh.length > 0) markDirty(db, pilotId, now);
			return { ok: true, accepted: fresh.length, duplicates };
		});
	} catch (error) {
		if (error instanceof ConflictingBatch) return { ok: false, errors: error.errors };
		throw error;
	}
}

/** SQLite's default limit of bound parameters is far above this. */
const LOOKUP_CHUNK = 500;

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
	for (let i = 0; i < events.length; i += LOOKUP_CHUNK) {
		const ids = events.slice(i, i + LOOKUP_CHUNK).map((e) => e.externalId);
		const rows = db.$client
			.prepare(
				`SELECT external_id, occurred_at, cohort, segment, measures FROM events
				 WHERE pilot_id = ? AND external_id IN (${ids.map(() => '?').join(',')})`
			)
			.all(pilotId, ...ids) as (StoredContent & { external_id: string })[];
		for (const row of rows) stored.set(row.external_id, row);
	}
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
		statement(db, `DELETE FROM ${table} WHERE pilot_id = ?`).run(pilotId);
	}
	// The days' marks stay and move to the new version: a process keeping per-day rows reads
	// each day again and so also learns of those that no longer have any.
	await markAllDaysChanged(db, pilotId, await bumpDataVersion(db, pilotId));
}

/**
 * Recomputes a pilot's rollups from its stored events, after an amendment changed its metrics,
 * windows or time zone. Runs inside the caller's transaction. Events that now fall outside
 * both windows stay stored with no phase and count nowhere.
 */
export async function rebuildRollups(db: Db, pilotId: number, plan: PlanDefinition): Promise<void> {
	const client = db.$client;
	await deleteRollups(db, pilotId);
	const timezone = plan.timezone ?? 'UTC';
	const phaseAt = phaseLocator(plan);
	const rollup = emptyRollup();
	const moved: [number, string, Phase | null][] = [];
	const rows = client
		.prepare(
			'SELECT id, occurred_at, day, phase, cohort, segment, measures FROM events WHERE pilot_id = ?'
		)
		.iterate(pilotId) as IterableIterator<{
		id: number;
		occurred_at: string;
		day: string;
		phase: Phase | null;
		cohort: Cohort;
		segment: string | null;
		measures: string;
	}>;
	for (const row of rows) {
		const t = Date.parse(row.occurred_at);
		const phase = phaseAt(t);
		const day = dayIn(timezone, t);
		if (phase !== row.phase || day !== row.day) moved.push([row.id, day, phase]);
		if (phase !== null) {
			addToRollup(rollup, plan, day, phase, row.cohort, row.segment, JSON.parse(row.measures));
		}
	}
	const update = client.prepare('UPDATE events SET day = ?, phase = ? WHERE id = ?');
	for (const [id, day, phase] of moved) update.run(day, phase, id);
	await flushRollup(db, pilotId, plan, rollup);
}
