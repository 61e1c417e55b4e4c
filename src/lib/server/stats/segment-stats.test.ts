import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PlanDefinition } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import type { Sums } from '../ingest/batch-rollup';
import { loadSegmentStats, loadStats } from '../reports/reports';
import { createStatement } from '../../../../tests/support/migrations';
import {
	at,
	check,
	expectAfterRandomBatches,
	fixtureDefinition,
	partialEvent,
	seedPilot,
	storeLikeTheImport,
	temporaryDirs
} from '../../../../tests/support/stored-events';
import { expectSameSums, recomputedSums } from '../../../../tests/support/rollup-sums';

const definition = fixtureDefinition;

const temporaryDir = temporaryDirs();

/** "a|b" checks that a segment may hold the rollup's separator; "" is no segment. */
const SEGMENTS = ['billing', 'returns', 'a|b', 'Équipe Sud', null, ''] as const;

/** Event n, always with the same content, so that a second send of it is a duplicate. */
const eventInput = (n: number) => partialEvent(n, SEGMENTS[n % SEGMENTS.length]);

/**
 * The segment rollups recomputed from the stored events, written out independently of
 * ingestion: per non-quantile metric, an event counts when it has the metric's measures.
 */
function recomputed(db: Db, pilotId: number, plan: PlanDefinition): Map<string, Sums> {
	const rows = db.$client
		.prepare(
			`SELECT phase, cohort, segment, measures FROM events
			 WHERE pilot_id = ? AND phase IS NOT NULL AND segment IS NOT NULL AND segment <> ''`
		)
		.all(pilotId) as { phase: string; cohort: string; segment: string; measures: string }[];
	return recomputedSums(rows, plan, (metric, row) =>
		metric.kind === 'quantile' ? null : `${metric.key}|${row.phase}|${row.cohort}|${row.segment}`
	);
}

function stored(db: Db, pilotId: number): Map<string, Sums> {
	const rows = db.$client
		.prepare(
			`SELECT metric_key, phase, cohort, segment, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy
			 FROM segment_stats WHERE pilot_id = ?`
		)
		.all(pilotId) as Record<string, string | number>[];
	return new Map(
		rows.map((r) => [
			`${r.metric_key}|${r.phase}|${r.cohort}|${r.segment}`,
			{
				n: r.n as number,
				sumX: r.sum_x as number,
				sumX2: r.sum_x2 as number,
				sumY: r.sum_y as number,
				sumY2: r.sum_y2 as number,
				sumXY: r.sum_xy as number
			}
		])
	);
}

/** The stored segment rollups equal the recomputation (sums to rounding: the order differs). */
function expectMatchesEvents(db: Db, pilotId: number, plan: PlanDefinition): void {
	expectSameSums(stored(db, pilotId), recomputed(db, pilotId, plan));
}

describe('segment rollups', () => {
	test('equal a recomputation from the events after random batches, duplicates, retries and amendments', async () => {
		await expectAfterRandomBatches(definition, eventInput, expectMatchesEvents);
	}, 120_000);

	test('events without a segment, or with an empty one, are in no segment row', async () => {
		const db = openDatabase(':memory:');
		const { pilotId, plan } = await seedPilot(db, definition);
		const unsegmented = [4, 5, 10, 11].map(eventInput); // segments null, '', null, ''
		await storeLikeTheImport(db, pilotId, plan, unsegmented);
		expect(stored(db, pilotId).size).toBe(0);
		expect(await loadSegmentStats(db, pilotId, plan)).toEqual({});
	});
});

describe('loadSegmentStats', () => {
	test('gives each segment the shapes of loadStats, AI cohort only, no quantile metric', async () => {
		const db = openDatabase(':memory:');
		const { pilotId, plan } = await seedPilot(db, definition);
		const inputs = Array.from({ length: 300 }, (_, n) => ({
			...eventInput(n),
			segment: 'billing'
		}));
		await storeLikeTheImport(db, pilotId, plan, inputs);
		const segments = await loadSegmentStats(db, pilotId, plan);
		expect(Object.keys(segments)).toEqual(['billing']);
		expect(Object.keys(segments.billing)).toEqual([
			'handling_time',
			'error_rate',
			'cost_per_resolved'
		]);
		// One segment holding every event is the whole pilot's AI cohort.
		const total = await loadStats(db, pilotId, plan);
		for (const key of Object.keys(segments.billing)) {
			for (const phase of ['baseline', 'pilot'] as const) {
				const want = total.metrics[key][phase].ai;
				const got = segments.billing[key][phase];
				expect(got).not.toBeNull();
				expect(got!.type).toBe(want!.type);
				for (const [field, value] of Object.entries(want!)) {
					if (typeof value === 'number') {
						expect((got as unknown as Record<string, number>)[field]).toBeCloseTo(value, 6);
					}
				}
			}
		}
		expect(segments.billing.cost_per_resolved.pilot).toMatchObject({ type: 'ratio' });
		expect(segments.billing.handling_time.baseline).toMatchObject({ type: 'moments' });
	});

	test('lists every metric under a segment, null where a phase has no case, segments in name order', async () => {
		const db = openDatabase(':memory:');
		const { pilotId, plan } = await seedPilot(db, definition);
		const inputs = [
			{
				id: 'r-1',
				occurredAt: '2026-09-03T09:00:00Z',
				segment: 'returns',
				measures: { handling_minutes: 12 }
			},
			{
				id: 'b-1',
				occurredAt: '2026-10-03T09:00:00Z',
				segment: 'billing',
				measures: { error: 1 }
			},
			{
				id: 'b-2',
				occurredAt: '2026-10-04T09:00:00Z',
				segment: 'billing',
				cohort: 'control',
				measures: { handling_minutes: 7 }
			}
		];
		await storeLikeTheImport(db, pilotId, plan, inputs);
		expect(await loadSegmentStats(db, pilotId, plan)).toEqual({
			billing: {
				handling_time: { baseline: null, pilot: null },
				error_rate: { baseline: null, pilot: { type: 'moments', n: 1, sum: 1, sumSquares: 1 } },
				cost_per_resolved: { baseline: null, pilot: null }
			},
			returns: {
				handling_time: {
					baseline: { type: 'moments', n: 1, sum: 12, sumSquares: 144 },
					pilot: null
				},
				error_rate: { baseline: null, pilot: null },
				cost_per_resolved: { baseline: null, pilot: null }
			}
		});
	});
});

describe('the segment_stats migration', () => {
	test('fills the segment rollups of events stored before it', async () => {
		const dir = temporaryDir('pilot-impact-segments-');
		// The migrations as they were before segment_stats.
		const before = join(dir, 'drizzle');
		cpSync('drizzle', before, { recursive: true });
		const journalPath = join(before, 'meta', '_journal.json');
		const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
			entries: { idx: number; tag: string }[];
		};
		const cut = journal.entries.findIndex((e) => e.tag === '0006_segment_stats');
		expect(cut).toBeGreaterThan(0);
		journal.entries = journal.entries.slice(0, cut);
		writeFileSync(journalPath, JSON.stringify(journal));

		const path = join(dir, 'pilot-impact.db');
		const old = openDatabase(path, before);
		expect(
			old.$client.prepare("SELECT name FROM sqlite_master WHERE name = 'segment_stats'").get()
		).toBeUndefined();
		// Today's write paths mark a changed pilot for alerts (0010): the old schema lends them
		// that table for the set-up, and gives it back before the migrations run.
		old.$client.exec(createStatement('0010_alerts_webhooks', 'alert_state'));
		const { pilotId, plan } = await seedPilot(old, definition);
		old.$client.exec('DROP TABLE alert_state');
		// The events as the ingestion of that version stored them.
		const insert = old.$client.prepare(
			`INSERT INTO events (pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
		);
		for (const e of check(
			plan,
			Array.from({ length: 400 }, (_, n) => eventInput(n))
		)) {
			insert.run(
				pilotId,
				e.externalId,
				e.occurredAt,
				e.day,
				e.phase,
				e.cohort,
				e.segment,
				e.measuresJson,
				at.toISOString()
			);
		}
		// An event an amendment left outside both windows counts nowhere.
		old.$client.prepare("UPDATE events SET phase = NULL WHERE external_id = 'e-1'").run();
		old.$client.close();

		const db = openDatabase(path);
		expect(stored(db, pilotId).size).toBeGreaterThan(20);
		expectMatchesEvents(db, pilotId, plan);
		const filled = await loadSegmentStats(db, pilotId, plan);
		expect(Object.keys(filled)).toEqual(['a|b', 'billing', 'returns', 'Équipe Sud']);
		db.$client.close();
	});
});
