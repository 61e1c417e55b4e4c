import { describe, expect, test } from 'vitest';
import { seededRandom } from '$lib/metrics/random';
import { openDatabase, type Db } from '../db';
import { sqlFirst, sqlRows, transaction } from '../db/statements';
import { BatchBuilder, flushRollup } from '../ingest/batch-rollup';
import { EventChecker } from '../ingest/event-checker';
import { bumpDataVersion, dataVersion, markAllDaysChanged } from './data-version';
import { RowsInsert } from './insert-rows';
import { addToBuckets, valuesAtRanks, type QuantileGroup } from './quantile-buckets';
import { loadSegmentStats } from './segment-stats';
import { migratedPostgres } from '../../../../tests/support/migrated-postgres';
import { eventNumbered, fixtureDefinition } from '../../../../tests/support/stored-events';

// The rollups, quantile buckets and ranges, rank lookups, segment statistics and data versions
// written and read by this folder's statements are the same on PostgreSQL as on SQLite: the
// same batches flushed into both give the same rows, and the same answers.

const postgres = migratedPostgres(2);

const plan = fixtureDefinition;
/** Segments that sort differently by byte and by locale; null and '' are no segment. */
const SEGMENTS = ['billing', 'returns', 'a|b', 'Équipe Sud', 'Zeta', 'alpha', null, ''];

/** Event n; `spread` sets how many distinct values its measures take (few: long runs of one). */
function eventInput(n: number, spread: number): Record<string, unknown> {
	const measures: Record<string, number> = {
		handling_minutes: 3 + ((n * 37) % spread) / 2,
		error: n % 4 === 0 ? 1 : 0,
		cost_eur: 1 + (n % 9),
		resolved: n % 7 === 0 ? 0 : 1
	};
	if (n % 4 !== 1) measures.first_response_minutes = ((n * 7919) % (spread * 3)) / 4 - 2;
	return eventNumbered(n, measures, SEGMENTS[n % SEGMENTS.length]);
}

async function createPilot(db: Db): Promise<number> {
	const row = await sqlFirst<{ id: number }>(
		db,
		`INSERT INTO pilots (slug, name, charter, governance, created_at, updated_at, stage_changed_at)
		 VALUES ('engines', 'Engines', '{}', '{}', '', '', '') RETURNING id`
	);
	return row!.id;
}

/** Every table this folder writes: the pilot's rows as sorted text (numbers to 1e-9). */
const COLUMNS: Record<string, string> = {
	daily_stats: 'metric_key, day, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy',
	daily_cases: 'day, phase, cohort, n',
	phase_stats: 'metric_key, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy, version',
	phase_cases: 'phase, cohort, n',
	segment_stats: 'metric_key, phase, cohort, segment, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy',
	quantile_values:
		'metric_key, phase, cohort, count(*) AS n, min(value) AS low, max(value) AS high',
	quantile_buckets: 'metric_key, phase, cohort, lo, n, min_value, max_value',
	quantile_ranges: 'metric_key, phase, cohort, lo, n, buckets',
	data_versions: 'version',
	daily_versions: 'day, version'
};

async function tables(db: Db, pilotId: number): Promise<Record<string, string[]>> {
	const result: Record<string, string[]> = {};
	for (const [table, columns] of Object.entries(COLUMNS)) {
		const grouped = table === 'quantile_values' ? ' GROUP BY metric_key, phase, cohort' : '';
		const rows = await sqlRows<Record<string, unknown>>(
			db,
			`SELECT ${columns} FROM ${table} WHERE pilot_id = ?${grouped}`,
			pilotId
		);
		const rounded = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v);
		result[table] = rows.map((r) => JSON.stringify(Object.values(r).map(rounded))).sort();
	}
	return result;
}

describe('the stats statements on SQLite and PostgreSQL', () => {
	test('write the same rows and read the same answers', async () => {
		const engines = [openDatabase(':memory:'), postgres.db];
		const pilots = await Promise.all(engines.map(createPilot));
		// Batches of 1 to 900 events (one of 5,000), few distinct values or nearly all distinct:
		// buckets are made, counted into and cut, and the lowest ones lowered.
		const random = seededRandom(5).uniform;
		let n = 0;
		for (let b = 0; b < 12; b++) {
			const size = b === 2 ? 5000 : 1 + Math.floor(random() * 900);
			const checker = new EventChecker(plan);
			const builder = new BatchBuilder(plan);
			for (let i = 0; i < size; i++) {
				const errors = checker.checkInto(builder, i, eventInput(n++, b % 3 === 0 ? 5 : 100_000));
				if (errors !== null) throw new Error(JSON.stringify(errors));
			}
			for (const [e, db] of engines.entries()) {
				await transaction(db, (tx) => flushRollup(tx, pilots[e], plan, builder.batch.rollup));
			}
		}
		// One group of 120,000 values, drifting down: its ranges are cut and the lowest lowered.
		const big: QuantileGroup = { metricKey: 'big', phase: 'pilot', cohort: 'ai' };
		const insert = new RowsInsert(
			'INSERT INTO quantile_values (pilot_id, metric_key, phase, cohort, day, value)',
			6
		);
		const draw = seededRandom(9).uniform;
		for (let b = 0; b < 6; b++) {
			const values = Array.from(
				{ length: 20_000 },
				() => Math.round(-Math.log(1 - draw()) * 3000) / 100 - b
			);
			for (const [e, db] of engines.entries()) {
				await transaction(db, async (tx) => {
					const rows = values.flatMap((v) => [pilots[e], 'big', 'pilot', 'ai', '2026-10-01', v]);
					await insert.run(tx, rows);
					await addToBuckets(tx, pilots[e], big, values);
				});
			}
		}
		const [lite, pgRows] = await Promise.all(engines.map((db, e) => tables(db, pilots[e])));
		for (const table of Object.keys(COLUMNS)) expect(pgRows[table], table).toEqual(lite[table]);
		expect(lite.quantile_ranges.length).toBeGreaterThan(3);

		// Ranks from both ends and the middle of every group, against the sorted values.
		const groups = await sqlRows<{ metric_key: string; phase: string; cohort: string }>(
			engines[0],
			'SELECT DISTINCT metric_key, phase, cohort FROM quantile_values WHERE pilot_id = ?',
			pilots[0]
		);
		for (const g of groups) {
			const group = { metricKey: g.metric_key, phase: g.phase, cohort: g.cohort } as QuantileGroup;
			const sorted = (
				await sqlRows<{ value: number }>(
					engines[0],
					`SELECT value FROM quantile_values WHERE pilot_id = ? AND metric_key = ? AND phase = ?
					 AND cohort = ? ORDER BY value`,
					pilots[0],
					g.metric_key,
					g.phase,
					g.cohort
				)
			).map((r) => r.value);
			const count = sorted.length;
			const ranks = [1, 2, Math.ceil(count / 10), Math.ceil(count / 2), Math.ceil(count * 0.9)];
			ranks.push(Math.max(1, count - 1), count);
			for (const [e, db] of engines.entries()) {
				const found = await transaction(
					db,
					(tx) => valuesAtRanks(tx, pilots[e], group, count, ranks),
					{ readOnly: true }
				);
				expect(ranks.map((r) => found.get(r))).toEqual(ranks.map((r) => sorted[r - 1]));
			}
		}

		// Segments in the same order (by code unit, whatever the server's collation).
		const [liteSegments, pgSegments] = await Promise.all(
			engines.map((db, e) => loadSegmentStats(db, pilots[e], plan))
		);
		expect(Object.keys(liteSegments)).toEqual([
			'Zeta',
			'alpha',
			'a|b',
			'billing',
			'returns',
			'Équipe Sud'
		]);
		expect(JSON.stringify(pgSegments)).toBe(JSON.stringify(liteSegments));

		// Versions: one per flush; emptied rollups move every marked day to a new one.
		for (const [e, db] of engines.entries()) {
			expect(await dataVersion(db, pilots[e])).toBe(12);
			expect(await dataVersion(db, pilots[e] + 1000)).toBe(0);
			await transaction(db, async (tx) =>
				markAllDaysChanged(tx, pilots[e], await bumpDataVersion(tx, pilots[e]))
			);
			expect(await dataVersion(db, pilots[e])).toBe(13);
			const marks = await sqlRows<{ version: number }>(
				db,
				'SELECT DISTINCT version FROM daily_versions WHERE pilot_id = ?',
				pilots[e]
			);
			expect(marks).toEqual([{ version: 13 }]);
		}
		engines[0].$client.close();
	}, 120_000);
});
