import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PlanDefinition } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import { storeEvents } from '../ingest/ingest';
import * as plans from '../pilots/plans';
import { impactReport, loadStats } from '../reports/reports';
import { dataVersion } from './data-version';
import { rollBackFrom } from '../../../../tests/support/migrations';
import {
	at,
	check,
	createPilot,
	expectAfterRandomBatches,
	expectSameSums,
	fixtureDefinition,
	planOf,
	recomputedSums,
	type Sums,
	temporaryDirs
} from '../../../../tests/support/stored-events';

// The phase totals (`phase_stats`, `phase_cases`) the reports read instead of summing every
// day: equal to the same sums recomputed from the stored events, and to `daily_stats` and
// `daily_cases` summed over the days, however the events arrived.

const definition = fixtureDefinition;

const temporaryDir = temporaryDirs();

/** Event n, always with the same content, so that a second send of it is a duplicate. */
function eventInput(n: number): Record<string, unknown> {
	const day = 1 + (n % 50); // 1 Sept .. 20 Oct 2026 (Madrid): both windows
	const date = new Date(Date.UTC(2026, 8, day, 6 + (n % 11), (n * 7) % 60));
	const measures: Record<string, number> = {};
	if (n % 5 !== 0) measures.handling_minutes = 3 + ((n * 37) % 23) / 2;
	if (n % 3 !== 1) measures.error = n % 4 === 0 ? 1 : 0;
	if (n % 2 === 0) measures.cost_eur = 1 + (n % 9);
	if (n % 6 !== 3) measures.resolved = n % 7 === 0 ? 0 : 1;
	if (n % 4 === 1) measures.first_response_minutes = 10 + (n % 13);
	if (Object.keys(measures).length === 0) measures.handling_minutes = 4;
	return {
		id: `e-${n}`,
		occurredAt: date.toISOString(),
		...(n % 9 === 0 ? { cohort: 'control' } : {}),
		measures
	};
}

const SUMS = `n, sum_x AS sumX, sum_x2 AS sumX2, sum_y AS sumY, sum_y2 AS sumY2, sum_xy AS sumXY`;

/** Rows of `sql` (key columns, then the sums) by their joined key. */
function table(db: Db, sql: string, pilotId: number): Map<string, Sums> {
	return new Map(
		(db.$client.prepare(sql).all(pilotId) as (Sums & { k: string })[]).map(({ k, ...s }) => [k, s])
	);
}

/** Per "metric|phase|cohort", the sums recomputed from the stored events, independently of ingestion. */
function recomputed(db: Db, pilotId: number, plan: PlanDefinition): Map<string, Sums> {
	const rows = db.$client
		.prepare('SELECT phase, cohort, measures FROM events WHERE pilot_id = ? AND phase IS NOT NULL')
		.all(pilotId) as { phase: string; cohort: string; measures: string }[];
	return recomputedSums(rows, plan, (metric, row) => `${metric.key}|${row.phase}|${row.cohort}`);
}

/** The phase totals equal the events recomputed and the per-day rollups summed over days. */
function expectMatchesEvents(db: Db, pilotId: number, plan: PlanDefinition): void {
	const stored = table(
		db,
		`SELECT metric_key || '|' || phase || '|' || cohort AS k, ${SUMS} FROM phase_stats WHERE pilot_id = ?`,
		pilotId
	);
	expectSameSums(stored, recomputed(db, pilotId, plan));
	expectSameSums(
		stored,
		table(
			db,
			`SELECT metric_key || '|' || phase || '|' || cohort AS k, sum(n) AS n, sum(sum_x) AS sumX,
			   sum(sum_x2) AS sumX2, sum(sum_y) AS sumY, sum(sum_y2) AS sumY2, sum(sum_xy) AS sumXY
			 FROM daily_stats WHERE pilot_id = ? GROUP BY metric_key, phase, cohort`,
			pilotId
		)
	);
	const cases = (sql: string): Record<string, number> =>
		Object.fromEntries(
			(db.$client.prepare(sql).all(pilotId) as { k: string; n: number }[]).map((r) => [r.k, r.n])
		);
	const fromEvents = cases(
		`SELECT phase || '|' || cohort AS k, count(*) AS n FROM events
		 WHERE pilot_id = ? AND phase IS NOT NULL GROUP BY phase, cohort`
	);
	expect(
		cases(`SELECT phase || '|' || cohort AS k, n FROM phase_cases WHERE pilot_id = ?`)
	).toEqual(fromEvents);
	expect(
		cases(
			`SELECT phase || '|' || cohort AS k, sum(n) AS n FROM daily_cases WHERE pilot_id = ?
			 GROUP BY phase, cohort`
		)
	).toEqual(fromEvents);
}

describe('phase totals', () => {
	test('equal a recomputation from the events after random batches, duplicates, retries and amendments', async () => {
		await expectAfterRandomBatches(definition, eventInput, expectMatchesEvents);
	}, 120_000);
});

describe('the data version', () => {
	test('rises with every batch that stores something, with every rebuild, never back', async () => {
		const db = openDatabase(':memory:');
		const pilotId = await createPilot(db, definition);
		const plan = await planOf(db);
		expect(await dataVersion(db, pilotId)).toBe(0);
		const inputs = Array.from({ length: 40 }, (_, n) => eventInput(n));
		await storeEvents(db, pilotId, plan, check(plan, inputs), at);
		const first = await dataVersion(db, pilotId);
		expect(first).toBeGreaterThan(0);
		// A retry stores nothing new: the numbers, and so the version, stay.
		await storeEvents(db, pilotId, plan, check(plan, inputs), at);
		expect(await dataVersion(db, pilotId)).toBe(first);
		await storeEvents(db, pilotId, plan, check(plan, [eventInput(41)]), at);
		const second = await dataVersion(db, pilotId);
		expect(second).toBeGreaterThan(first);
		const moved = {
			...definition,
			baselineWindow: { start: '2026-09-10T00:00:00Z', end: '2026-09-30T22:00:00Z' }
		};
		expect((await plans.replace('email-triage', moved, { now: at, db })).ok).toBe(true);
		expect(await dataVersion(db, pilotId)).toBeGreaterThan(second);
	});

	test('a report on one connection follows a batch stored through another (a second instance)', async () => {
		const dir = temporaryDir('pilot-impact-versions-');
		const path = join(dir, 'pilot-impact.db');
		const one = openDatabase(path);
		const other = openDatabase(path);
		const pilotId = await createPilot(one, definition);
		const plan = await planOf(one);
		const now = new Date('2026-10-12T12:00:00Z');
		await storeEvents(
			one,
			pilotId,
			plan,
			check(
				plan,
				Array.from({ length: 200 }, (_, n) => eventInput(n))
			),
			at
		);
		// Reports at one instant: generatedAt is the same, so whole reports compare.
		const report = async (db: Db): Promise<unknown> => {
			return await impactReport((await plans.readState('email-triage', db))!, now, db);
		};
		const before = await report(one);
		expect(await report(one)).toEqual(before);

		const more = Array.from({ length: 100 }, (_, n) => eventInput(200 + n));
		await storeEvents(other, pilotId, plan, check(plan, more), at);
		const after = await report(one);
		expect(after).not.toEqual(before);
		expect(after).toEqual(await report(other));
		// And as a fresh process would read it, with nothing kept from before.
		const fresh = openDatabase(path);
		expect(after).toEqual(await report(fresh));
		expect(await loadStats(one, pilotId, plan)).toEqual(await loadStats(fresh, pilotId, plan));
		for (const db of [one, other, fresh]) db.$client.close();
	});
});

describe('the phase totals migration', () => {
	test('fills the totals of rollups stored before it, and ingestion goes on from them', async () => {
		const dir = temporaryDir('pilot-impact-phase-totals-');
		const path = join(dir, 'pilot-impact.db');
		const db = openDatabase(path);
		const pilotId = await createPilot(db, definition);
		const plan = await planOf(db);
		await storeEvents(
			db,
			pilotId,
			plan,
			check(
				plan,
				Array.from({ length: 300 }, (_, n) => eventInput(n))
			),
			at
		);
		// The database as it was before the migration: rollups by day, no totals, 0009 not applied.
		rollBackFrom(db, '0009_phase_totals');
		db.$client.close();

		const migrated = openDatabase(path);
		expectMatchesEvents(migrated, pilotId, plan);
		expect(await dataVersion(migrated, pilotId)).toBe(1);
		await storeEvents(
			migrated,
			pilotId,
			plan,
			check(
				plan,
				Array.from({ length: 100 }, (_, n) => eventInput(300 + n))
			),
			at
		);
		expectMatchesEvents(migrated, pilotId, plan);
		expect(await dataVersion(migrated, pilotId)).toBe(2);
		migrated.$client.close();
	});
});
