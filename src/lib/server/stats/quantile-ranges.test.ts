import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '$lib/metrics/random';
import { openDatabase, type Db } from '../db';
import { transaction } from '../db/statements';
import { addToBuckets, valuesAtRanks, type QuantileGroup } from './quantile-buckets';
import { RANGE_SIZE } from './quantile-ranges';
import { RowsInsert } from './insert-rows';
import { rollBackFrom } from '../../../../tests/support/migrations';
import {
	createPilot,
	databaseWithPilot,
	fixtureDefinition,
	sortedValues,
	temporaryDatabaseFiles
} from '../../../../tests/support/stored-events';

// The second counted level (`quantile_ranges`): every range counts exactly the buckets and
// values it covers, however the values arrived, and the ranks found through it are those of the
// sorted values.

const definition = fixtureDefinition;
const GROUP: QuantileGroup = { metricKey: 'p', phase: 'pilot', cohort: 'ai' };

const databaseFile = temporaryDatabaseFiles();

const insertValues = new RowsInsert(
	'INSERT INTO quantile_values (pilot_id, metric_key, phase, cohort, day, value)',
	6
);

/** Stores `values` in one group as ingestion does: the values, then their buckets, in one transaction. */
async function store(
	db: Db,
	pilotId: number,
	values: readonly number[],
	group = GROUP
): Promise<void> {
	const { metricKey, phase, cohort } = group;
	await transaction(db, async (tx) => {
		await insertValues.run(
			tx,
			values.flatMap((v) => [pilotId, metricKey, phase, cohort, '2026-10-01', v])
		);
		await addToBuckets(tx, pilotId, group, values);
	});
}

/** Each group's ranges cover its buckets in order, with their exact counts. */
function expectRangesConsistent(db: Db, pilotId: number): void {
	const order = 'ORDER BY metric_key, phase, cohort, lo';
	const ranges = db.$client
		.prepare(
			`SELECT metric_key || '|' || phase || '|' || cohort AS g, lo, n, buckets
			 FROM quantile_ranges WHERE pilot_id = ? ${order}`
		)
		.all(pilotId) as { g: string; lo: number; n: number; buckets: number }[];
	const buckets = db.$client
		.prepare(
			`SELECT metric_key || '|' || phase || '|' || cohort AS g, lo, n
			 FROM quantile_buckets WHERE pilot_id = ? ${order}`
		)
		.all(pilotId) as { g: string; lo: number; n: number }[];
	let at = 0;
	for (const range of ranges) {
		const covered = buckets.slice(at, at + range.buckets);
		expect(covered.length).toBe(range.buckets);
		expect(covered.every((b) => b.g === range.g)).toBe(true);
		expect(covered[0].lo).toBe(range.lo);
		expect(covered.reduce((sum, b) => sum + b.n, 0)).toBe(range.n);
		expect(range.buckets).toBeLessThanOrEqual(2 * RANGE_SIZE);
		// A group's first range starts at its first bucket.
		if (at > 0 && buckets[at - 1].g !== range.g) expect(range.lo).toBe(buckets[at].lo);
		at += range.buckets;
	}
	expect(at).toBe(buckets.length);
}

/** The values at `ranks` through the counted levels equal the sorted values'. */
async function expectRanks(db: Db, pilotId: number, ranks: readonly number[]): Promise<void> {
	const sorted = sortedValues(db, pilotId, GROUP);
	const found = await valuesAtRanks(db, pilotId, GROUP, sorted.length, ranks);
	expect(ranks.map((r) => found.get(r))).toEqual(ranks.map((r) => sorted[r - 1]));
}

describe('quantile ranges', () => {
	test('count their buckets exactly after random batches, and find every rank', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 12 }),
				fc.constantFrom(5, 500, 1_000_000),
				fc.integer({ min: 1, max: 1000 }),
				async (sizes, spread, seed) => {
					const { db, pilotId } = await databaseWithPilot(definition);
					const random = seededRandom(seed).uniform;
					let stored = 0;
					for (const size of sizes) {
						// Values drift down as batches come, so new lowest values lower the first range.
						const shift = stored / 100;
						await store(
							db,
							pilotId,
							Array.from({ length: size }, () => Math.floor(random() * spread) - shift)
						);
						stored += size;
						expectRangesConsistent(db, pilotId);
					}
					const some = Array.from({ length: 20 }, () => 1 + Math.floor(random() * stored));
					await expectRanks(db, pilotId, some);
					await expectRanks(db, pilotId, [
						1,
						stored,
						Math.ceil(stored / 2),
						Math.ceil(stored * 0.9)
					]);
					db.$client.close();
				}
			),
			{ numRuns: 20 }
		);
	}, 120_000);

	test('are cut as they fill up, and a median and a p90 still read the sorted values', async () => {
		const { db, pilotId } = await databaseWithPilot(definition);
		const random = seededRandom(7).uniform;
		// 300,000 values (~600 buckets, so ranges are cut) in batches of 1,000 to 30,000.
		let stored = 0;
		while (stored < 300_000) {
			const size = 1000 + Math.floor(random() * 29_000);
			await store(
				db,
				pilotId,
				Array.from({ length: size }, () => Math.round(-Math.log(1 - random()) * 3000) / 100)
			);
			stored += size;
		}
		expectRangesConsistent(db, pilotId);
		const counts = db.$client
			.prepare('SELECT count(*) AS ranges, max(buckets) AS most FROM quantile_ranges')
			.get() as { ranges: number; most: number };
		expect(counts.ranges).toBeGreaterThan(4);
		const half = Math.ceil(stored / 2);
		const p90 = Math.ceil(stored * 0.9);
		await expectRanks(db, pilotId, [half - 700, half, half + 1, half + 700]);
		await expectRanks(db, pilotId, [p90 - 400, p90, p90 + 1, p90 + 400, 1, 2, stored - 1, stored]);
		db.$client.close();
	}, 120_000);
});

describe('the quantile_ranges migration', () => {
	test('fills the ranges of buckets stored before it, and ingestion goes on from them', async () => {
		const path = databaseFile('pilot-impact-ranges-');
		const db = openDatabase(path);
		const pilotId = await createPilot(db, definition);
		const random = seededRandom(11).uniform;
		const draw = (count: number): number[] =>
			Array.from({ length: count }, () => Math.floor(random() * 100_000));
		await store(db, pilotId, draw(120_000));
		await store(db, pilotId, draw(40_000), { ...GROUP, phase: 'baseline' });
		// The database as it was before the migration: buckets, no ranges, 0011 not applied.
		rollBackFrom(db, '0011_report_after_batch');
		db.$client.close();

		const migrated = openDatabase(path);
		expectRangesConsistent(migrated, pilotId);
		expect(
			migrated.$client.prepare('SELECT count(*) FROM quantile_ranges').pluck().get()
		).toBeGreaterThan(2);
		await expectRanks(migrated, pilotId, [1, 60_000, 108_000, 120_000]);
		await store(migrated, pilotId, draw(30_000));
		expectRangesConsistent(migrated, pilotId);
		await expectRanks(migrated, pilotId, [1, 75_000, 135_000, 150_000]);
		migrated.$client.close();
	});
});
