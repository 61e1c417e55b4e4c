import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
	buildImpactReport,
	estimatePhase,
	resolveSettings,
	valuesOf,
	type PilotStats
} from '$lib/metrics';
import { seededRandom } from '$lib/metrics/random';
import { type PlanDefinition } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import * as plans from '../pilots/plans';
import { BUCKET_MAX, parts, valuesAtRanks, type QuantileGroup } from './quantile-buckets';
import { loadStats } from '../reports/reports';
import { rollBackFrom } from '../../../../tests/support/migrations';
import {
	at,
	eventNumbered,
	fixtureDefinition,
	planOf,
	seedPilot,
	sendBatches,
	sortedValues,
	temporaryDatabaseFiles,
	withMovedWindows
} from '../../../../tests/support/stored-events';

/** The fixture's plan (a p90) with a median beside it. */
const definition = {
	...fixtureDefinition,
	metrics: [
		...fixtureDefinition.metrics,
		{
			key: 'handling_p50',
			kind: 'quantile' as const,
			quantile: 0.5,
			measure: 'handling_minutes',
			direction: 'decrease' as const,
			role: 'secondary' as const
		}
	]
};
const PHASES = ['baseline', 'pilot'] as const;
const COHORTS = ['ai', 'control'] as const;

const databaseFile = temporaryDatabaseFiles();

/**
 * Event n, always with the same content (a second send is a duplicate). `spread` sets how many
 * distinct values the measures take: few (long runs of one value, as whole minutes give) or
 * many (nearly all distinct).
 */
function eventInput(n: number, spread = 23): Record<string, unknown> {
	const measures: Record<string, number> = {
		handling_minutes: 3 + ((n * 37) % spread) / 2,
		error: n % 4 === 0 ? 1 : 0
	};
	if (n % 4 !== 1) measures.first_response_minutes = ((n * 7919) % (spread * 3)) / 4 - 2;
	return eventNumbered(n, measures);
}

/** Every quantile metric's values per phase and cohort, read from the stored events. */
function valuesFromEvents(db: Db, pilotId: number, plan: PlanDefinition): PilotStats['metrics'] {
	const rows = db.$client
		.prepare('SELECT phase, cohort, measures FROM events WHERE pilot_id = ? AND phase IS NOT NULL')
		.all(pilotId) as { phase: 'baseline' | 'pilot'; cohort: 'ai' | 'control'; measures: string }[];
	const metrics: Record<string, Record<string, Record<string, number[]>>> = {};
	for (const metric of plan.metrics.filter((m) => m.kind === 'quantile')) {
		const slots = { baseline: { ai: [], control: [] }, pilot: { ai: [], control: [] } };
		metrics[metric.key] = slots;
		for (const row of rows) {
			const x = (JSON.parse(row.measures) as Record<string, number>)[metric.measure!];
			if (x !== undefined) metrics[metric.key][row.phase][row.cohort].push(x);
		}
	}
	return Object.fromEntries(
		Object.entries(metrics).map(([key, phases]) => [
			key,
			{
				baseline: {
					ai: phases.baseline.ai.length > 0 ? valuesOf(phases.baseline.ai) : null,
					control: phases.baseline.control.length > 0 ? valuesOf(phases.baseline.control) : null
				},
				pilot: {
					ai: phases.pilot.ai.length > 0 ? valuesOf(phases.pilot.ai) : null,
					control: phases.pilot.control.length > 0 ? valuesOf(phases.pilot.control) : null
				}
			}
		])
	);
}

/**
 * The quantile metrics' estimates and their whole reports (values, intervals, verdicts) from
 * the stored order statistics equal those from every value recomputed from the events.
 */
async function expectMatchesEvents(db: Db, pilotId: number, plan: PlanDefinition): Promise<void> {
	const stats = await loadStats(db, pilotId, plan);
	const recomputed = valuesFromEvents(db, pilotId, plan);
	const settings = resolveSettings({ minSamples: plan.minSamples });
	for (const metric of plan.metrics.filter((m) => m.kind === 'quantile')) {
		for (const phase of PHASES) {
			for (const cohort of COHORTS) {
				const got = stats.metrics[metric.key][phase][cohort];
				const want = recomputed[metric.key][phase][cohort];
				expect(got?.type ?? null, `${metric.key} ${phase} ${cohort}`).toBe(want && 'order');
				expect(estimatePhase(got, 'quantile', settings, metric.quantile)).toEqual(
					estimatePhase(want, 'quantile', settings, metric.quantile)
				);
			}
		}
	}
	const context = { generatedAt: at.toISOString(), stage: 'running', pilotDaysElapsed: 10 };
	const fromValues = { ...stats, metrics: { ...stats.metrics, ...recomputed } };
	expect(buildImpactReport(plan, stats, context)).toEqual(
		buildImpactReport(plan, fromValues, context)
	);
}

interface BucketRow {
	metric_key: string;
	phase: string;
	cohort: string;
	lo: number;
	n: number;
	min_value: number;
	max_value: number;
}

/** Buckets hold exactly the values of their range, and only single-valued ones grow past the cap. */
function expectBucketsConsistent(db: Db, pilotId: number, cap = BUCKET_MAX): void {
	const buckets = db.$client
		.prepare(
			'SELECT * FROM quantile_buckets WHERE pilot_id = ? ORDER BY metric_key, phase, cohort, lo'
		)
		.all(pilotId) as BucketRow[];
	const values = db.$client.prepare(
		`SELECT count(*) AS n, min(value) AS lo, max(value) AS hi FROM quantile_values
		 WHERE pilot_id = ? AND metric_key = ? AND phase = ? AND cohort = ? AND value >= ? AND value < ?`
	);
	buckets.forEach((b, i) => {
		const next = buckets[i + 1];
		const sameGroup =
			next &&
			next.metric_key === b.metric_key &&
			next.phase === b.phase &&
			next.cohort === b.cohort;
		const upTo = sameGroup ? next.lo : Number.MAX_VALUE;
		const held = values.get(pilotId, b.metric_key, b.phase, b.cohort, b.lo, upTo) as {
			n: number;
			lo: number;
			hi: number;
		};
		expect({ n: b.n, min: b.min_value, max: b.max_value }).toEqual({
			n: held.n,
			min: held.lo,
			max: held.hi
		});
		if (b.min_value < b.max_value) expect(b.n).toBeLessThanOrEqual(cap);
	});
	const lowest = db.$client
		.prepare(
			`SELECT count(*) FROM quantile_values v WHERE pilot_id = ? AND value < (
			   SELECT min(lo) FROM quantile_buckets b WHERE b.pilot_id = v.pilot_id
			   AND b.metric_key = v.metric_key AND b.phase = v.phase AND b.cohort = v.cohort)`
		)
		.pluck()
		.get(pilotId);
	expect(lowest).toBe(0);
}

describe('quantile order statistics', () => {
	test('equal those of every value after random batches, duplicates, retries and amendments', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.nat(599), { minLength: 1, maxLength: 500 }),
				fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 8 }),
				fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
				fc.constantFrom(3, 23, 100_000),
				async (ids, sizes, retries, spread) => {
					const db = openDatabase(':memory:');
					const { pilotId, plan } = await seedPilot(db, definition);
					await sendBatches(db, pilotId, plan, ids, sizes, retries, (n) => eventInput(n, spread));
					await expectMatchesEvents(db, pilotId, plan);
					expectBucketsConsistent(db, pilotId);

					// An amendment moves the windows: some events leave, the rollups are rebuilt.
					const moved = withMovedWindows(definition);
					expect((await plans.replace('email-triage', moved, { now: at, db })).ok).toBe(true);
					await expectMatchesEvents(db, pilotId, await planOf(db));
					expectBucketsConsistent(db, pilotId);
					db.$client.close();
				}
			),
			{ numRuns: 25 }
		);
	}, 120_000);

	test.each([
		['few distinct values (long runs of one value)', 3],
		['some ties', 23],
		['nearly all distinct', 100_000]
	])('stay exact when buckets are cut: %s', async (_, spread) => {
		const db = openDatabase(':memory:');
		const { pilotId, plan } = await seedPilot(db, definition);
		const random = seededRandom(spread).uniform;
		// 8,000 distinct events in random order, in batches of 1 to 700, every third sent twice.
		const ids = Array.from({ length: 8000 }, (_, i) => i);
		for (let i = ids.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[ids[i], ids[j]] = [ids[j], ids[i]];
		}
		const sizes = Array.from({ length: 20 }, () => 1 + Math.floor(random() * 700));
		await sendBatches(db, pilotId, plan, ids, sizes, [false, false, true], (n) =>
			eventInput(n, spread)
		);
		const counts = db.$client
			.prepare('SELECT max(n) AS most, count(*) AS buckets FROM quantile_buckets')
			.get() as { most: number; buckets: number };
		expect(counts.buckets).toBeGreaterThan(4);
		await expectMatchesEvents(db, pilotId, plan);
		expectBucketsConsistent(db, pilotId);

		// Every rank of one group, against the sorted values.
		const group: QuantileGroup = { metricKey: 'handling_p50', phase: 'pilot', cohort: 'ai' };
		const sorted = sortedValues(db, pilotId, group);
		expect(sorted.length).toBeGreaterThan(BUCKET_MAX);
		const ranks = sorted.map((_, i) => i + 1);
		const found = await valuesAtRanks(db, pilotId, group, sorted.length, ranks);
		expect(ranks.map((r) => found.get(r))).toEqual(sorted);
		// A few ranks at a time, counted from either end.
		const n = sorted.length;
		for (const some of [[1], [n], [n - 1, n], [2, 3], [Math.ceil(n * 0.9), n - 5], [n >> 1]]) {
			const got = await valuesAtRanks(db, pilotId, group, n, some);
			expect(some.map((r) => got.get(r))).toEqual(some.map((r) => sorted[r - 1]));
		}
		db.$client.close();
	});
});

describe('parts', () => {
	test.each<[string, number[]]>([
		['distinct values', Array.from({ length: 3000 }, (_, i) => i)],
		['one long run in the middle', [1, 2, ...Array<number>(3000).fill(5), 7, 8]],
		['one long run at the start', [...Array<number>(3000).fill(5), 7]],
		['one value only', Array<number>(3000).fill(5)]
	])('%s: ranges cover every value once, equal values together', (_, values) => {
		const cut = parts(values);
		expect(cut[0][0]).toBe(0);
		expect(cut.at(-1)![1]).toBe(values.length);
		cut.forEach(([from, to], i) => {
			expect(to).toBeGreaterThan(from);
			if (i > 0) {
				expect(from).toBe(cut[i - 1][1]);
				expect(values[from]).toBeGreaterThan(values[from - 1]);
			}
			if (values[from] !== values[to - 1]) expect(to - from).toBeLessThanOrEqual(BUCKET_MAX);
		});
	});
});

describe('the quantile_buckets migration', () => {
	test('fills the buckets of values stored before it, and ingestion goes on from them', async () => {
		const path = databaseFile('pilot-impact-buckets-');
		const db = openDatabase(path);
		const { pilotId, plan } = await seedPilot(db, definition);
		const ids = Array.from({ length: 6000 }, (_, i) => (i * 7919) % 6000);
		await sendBatches(db, pilotId, plan, ids.slice(0, 5000), [900], [false], (n) =>
			eventInput(n, 23)
		);
		// The database as it was before the migration: values, no buckets, 0008 not applied (nor
		// the migrations after it, whose tables go too).
		rollBackFrom(db, '0008_quantile_buckets');
		db.$client.close();

		const migrated = openDatabase(path);
		expectBucketsConsistent(migrated, pilotId, Infinity);
		await expectMatchesEvents(migrated, pilotId, plan);
		await sendBatches(migrated, pilotId, plan, ids.slice(5000), [300], [true], (n) =>
			eventInput(n, 23)
		);
		await expectMatchesEvents(migrated, pilotId, plan);
		expectBucketsConsistent(migrated, pilotId, Infinity);
		migrated.$client.close();
	});
});
