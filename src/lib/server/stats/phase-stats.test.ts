import { describe, expect, test } from 'vitest';
import type { PlanDefinition } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import type { Sums } from '../ingest/batch-rollup';
import * as plans from '../pilots/plans';
import { impactReport, loadStats } from '../reports/reports';
import { dataVersion } from './data-version';
import { rollBackFrom } from '../../../../tests/support/migrations';
import {
	at,
	expectAfterRandomBatches,
	fixtureDefinition,
	partialEvent,
	seedPilot,
	storeLikeTheImport,
	temporaryDatabaseFiles
} from '../../../../tests/support/stored-events';
import { expectSameSums, recomputedSums } from '../../../../tests/support/rollup-sums';

// The phase totals (`phase_stats`, `phase_cases`) the reports read instead of summing every
// day: equal to the same sums recomputed from the stored events, and to `daily_stats` and
// `daily_cases` summed over the days, however the events arrived.

const definition = fixtureDefinition;

const databaseFile = temporaryDatabaseFiles();

/** Event n, always with the same content, so that a second send of it is a duplicate. */
const eventInput = (n: number) => partialEvent(n);

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
		const { pilotId, plan } = await seedPilot(db, definition);
		expect(await dataVersion(db, pilotId)).toBe(0);
		const inputs = Array.from({ length: 40 }, (_, n) => eventInput(n));
		await storeLikeTheImport(db, pilotId, plan, inputs);
		const first = await dataVersion(db, pilotId);
		expect(first).toBeGreaterThan(0);
		// A retry stores nothing new: the numbers, and so the version, stay.
		await storeLikeTheImport(db, pilotId, plan, inputs);
		expect(await dataVersion(db, pilotId)).toBe(first);
		await storeLikeTheImport(db, pilotId, plan, [eventInput(41)]);
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
		const path = databaseFile('pilot-impact-versions-');
		const one = openDatabase(path);
		const other = openDatabase(path);
		const { pilotId, plan } = await seedPilot(one, definition);
		const now = new Date('2026-10-12T12:00:00Z');
		await storeLikeTheImport(
			one,
			pilotId,
			plan,
			Array.from({ length: 200 }, (_, n) => eventInput(n))
		);
		// Reports at one instant: generatedAt is the same, so whole reports compare.
		const report = async (db: Db): Promise<unknown> => {
			return await impactReport((await plans.readState('email-triage', db))!, now, db);
		};
		const before = await report(one);
		expect(await report(one)).toEqual(before);

		const more = Array.from({ length: 100 }, (_, n) => eventInput(200 + n));
		await storeLikeTheImport(other, pilotId, plan, more);
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
		const path = databaseFile('pilot-impact-phase-totals-');
		const db = openDatabase(path);
		const { pilotId, plan } = await seedPilot(db, definition);
		await storeLikeTheImport(
			db,
			pilotId,
			plan,
			Array.from({ length: 300 }, (_, n) => eventInput(n))
		);
		// The database as it was before the migration: rollups by day, no totals, 0009 not applied.
		rollBackFrom(db, '0009_phase_totals');
		db.$client.close();

		const migrated = openDatabase(path);
		expectMatchesEvents(migrated, pilotId, plan);
		expect(await dataVersion(migrated, pilotId)).toBe(1);
		await storeLikeTheImport(
			migrated,
			pilotId,
			plan,
			Array.from({ length: 100 }, (_, n) => eventInput(300 + n))
		);
		expectMatchesEvents(migrated, pilotId, plan);
		expect(await dataVersion(migrated, pilotId)).toBe(2);
		migrated.$client.close();
	});
});
