import Database from 'better-sqlite3';
import type { RollupSums } from '../../../src/lib/server/stats/rollup-stats';
import { sqliteDatabase, type TestDatabase } from '../database';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The reference model the reliability tests compare the server with: the fixture plan's
// metrics, computed the plain way from the events a client meant to store, and what the
// database actually holds (events, rollups, integrity), read straight from the file.

export const fixturePlan = JSON.parse(
	readFileSync(fileURLToPath(new URL('../../fixtures/cli/plan.json', import.meta.url)), 'utf8')
) as Record<string, unknown>;

/** The fixture plan's windows, as instants: baseline then pilot, back to back. */
export const baselineStartMs = Date.parse('2026-09-01T00:00:00+02:00');
export const pilotStartMs = Date.parse('2026-10-01T00:00:00+02:00');
export const pilotEndMs = Date.parse('2026-10-22T00:00:00+02:00');

export type Measures = Partial<
	Record<'handling_minutes' | 'error' | 'cost_eur' | 'resolved' | 'first_response_minutes', number>
>;

export interface TestEvent {
	id: string;
	occurredAt: string;
	cohort?: 'ai' | 'control';
	segment?: string;
	measures: Measures;
}

/** x (and y for ratios) of each metric of the fixture plan; absent measures count nowhere. */
const metrics: { key: string; x: keyof Measures; y?: keyof Measures; quantile?: true }[] = [
	{ key: 'handling_time', x: 'handling_minutes' },
	{ key: 'error_rate', x: 'error' },
	{ key: 'cost_per_resolved', x: 'cost_eur', y: 'resolved' },
	{ key: 'first_response_p90', x: 'first_response_minutes', quantile: true }
];

export interface Sums {
	n: number;
	sumX: number;
	sumX2: number;
	sumY: number;
	sumY2: number;
	sumXY: number;
}

/** Sums per "metric|phase|cohort" (or with "|day" when byDay). */
export type SumsTable = Map<string, Sums>;

/** Counts one observation (x, and y for a ratio) into the sums under `key`. */
export function add(table: SumsTable, key: string, x: number, y: number): void {
	const s = table.get(key) ?? { n: 0, sumX: 0, sumX2: 0, sumY: 0, sumY2: 0, sumXY: 0 };
	s.n += 1;
	s.sumX += x;
	s.sumX2 += x * x;
	s.sumY += y;
	s.sumY2 += y * y;
	s.sumXY += x * y;
	table.set(key, s);
}

export function phaseOf(occurredAt: string): 'baseline' | 'pilot' {
	return Date.parse(occurredAt) < pilotStartMs ? 'baseline' : 'pilot';
}

function addEvent(
	table: SumsTable,
	measures: Measures,
	phase: string,
	cohort: string,
	day: string | null
): void {
	for (const metric of metrics) {
		const x = measures[metric.x];
		const y = metric.y ? measures[metric.y] : 0;
		if (x === undefined || y === undefined) continue;
		add(table, [metric.key, phase, cohort, ...(day ? [day] : [])].join('|'), x, y);
	}
}

/** As addEvent, per segment: no quantile metric, no event without a segment. */
function addSegmentEvent(
	table: SumsTable,
	measures: Measures,
	phase: string,
	cohort: string,
	segment: string | null | undefined
): void {
	if (segment === null || segment === undefined || segment === '') return;
	for (const metric of metrics) {
		if (metric.quantile) continue;
		const x = measures[metric.x];
		const y = metric.y ? measures[metric.y] : 0;
		if (x === undefined || y === undefined) continue;
		add(table, [metric.key, phase, cohort, segment].join('|'), x, y);
	}
}

/** The reference: each distinct event counted once, whatever was sent how often. */
export function referenceSums(events: Iterable<TestEvent>): SumsTable {
	const table: SumsTable = new Map();
	for (const e of events)
		addEvent(table, e.measures, phaseOf(e.occurredAt), e.cohort ?? 'ai', null);
	return table;
}

/** The same per "metric|phase|cohort|segment", as segment_stats should hold it. */
export function referenceSegmentSums(events: Iterable<TestEvent>): SumsTable {
	const table: SumsTable = new Map();
	for (const e of events)
		addSegmentEvent(table, e.measures, phaseOf(e.occurredAt), e.cohort ?? 'ai', e.segment);
	return table;
}

export interface StoredFacts {
	ids: string[];
	/** daily_stats summed over days, per metric, phase and cohort. */
	phaseSums: SumsTable;
	/** phase_stats as stored (the totals reports read), per metric, phase and cohort. */
	storedPhaseSums: SumsTable;
	/** phase_cases against the events they should count, per phase and cohort. */
	phaseCasesMatch: boolean;
	/** daily_stats as stored, per metric, phase, cohort and day. */
	dailySums: SumsTable;
	/** The same recomputed from the stored events. */
	recomputedDailySums: SumsTable;
	/** segment_stats as stored, per metric, phase, cohort and segment. */
	segmentSums: SumsTable;
	/** The same recomputed from the stored events. */
	recomputedSegmentSums: SumsTable;
	/** daily_cases and quantile_values against the events they should count. */
	casesMatch: boolean;
	quantileValuesMatch: boolean;
	/**
	 * quantile_buckets and quantile_ranges count, per metric, phase and cohort, the
	 * quantile_values they cover.
	 */
	quantileBucketsMatch: boolean;
	integrity: string;
}

/** A row of a rollup table: its group and its sums. */
type RollupRow = RollupSums & { metric_key: string; phase: string; cohort: string };

/** A rollup row's sums as the reference model counts them. */
function sumsOf(row: RollupSums): Sums {
	return {
		n: row.n,
		sumX: row.sum_x,
		sumX2: row.sum_x2,
		sumY: row.sum_y,
		sumY2: row.sum_y2,
		sumXY: row.sum_xy
	};
}

/**
 * What the database holds for one pilot: the SQLite file at `database`, or a test database on
 * either engine. SQLite's file is opened read-write, so that a crashed WAL is recovered.
 */
export async function storedFacts(
	database: string | TestDatabase,
	slug: string
): Promise<StoredFacts> {
	const db = typeof database === 'string' ? sqliteDatabase(database) : database;
	const [found] = await db.query<{ id: number }>('select id from pilots where slug = ?', slug);
	const integrity = await db.integrity();
	if (found === undefined) throw new Error(`no pilot ${slug}`);
	const pilot = found.id;
	const rows = (await db.query(
		'select external_id, day, phase, cohort, segment, measures from events where pilot_id = ?',
		pilot
	)) as {
		external_id: string;
		day: string;
		phase: string;
		cohort: string;
		segment: string | null;
		measures: string;
	}[];
	const recomputedDailySums: SumsTable = new Map();
	const recomputedSegmentSums: SumsTable = new Map();
	const cases = new Map<string, number>();
	const quantiles = new Map<string, number>();
	for (const row of rows) {
		const measures = JSON.parse(row.measures) as Measures;
		addEvent(recomputedDailySums, measures, row.phase, row.cohort, row.day);
		addSegmentEvent(recomputedSegmentSums, measures, row.phase, row.cohort, row.segment);
		const slot = `${row.day}|${row.phase}|${row.cohort}`;
		cases.set(slot, (cases.get(slot) ?? 0) + 1);
		if (measures.first_response_minutes !== undefined)
			quantiles.set(slot, (quantiles.get(slot) ?? 0) + 1);
	}
	const dailySums: SumsTable = new Map();
	const phaseSums: SumsTable = new Map();
	const stats = (await db.query(
		'select metric_key, day, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy from daily_stats where pilot_id = ?',
		pilot
	)) as (RollupRow & { day: string })[];
	for (const s of stats) {
		const sums = sumsOf(s);
		dailySums.set(`${s.metric_key}|${s.phase}|${s.cohort}|${s.day}`, sums);
		const phaseKey = `${s.metric_key}|${s.phase}|${s.cohort}`;
		const total = phaseSums.get(phaseKey) ?? {
			n: 0,
			sumX: 0,
			sumX2: 0,
			sumY: 0,
			sumY2: 0,
			sumXY: 0
		};
		for (const k of Object.keys(sums) as (keyof Sums)[]) total[k] += sums[k];
		phaseSums.set(phaseKey, total);
	}
	const segmentSums: SumsTable = new Map();
	for (const s of (await db.query(
		'select metric_key, phase, cohort, segment, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy from segment_stats where pilot_id = ?',
		pilot
	)) as (RollupRow & { segment: string })[]) {
		segmentSums.set(`${s.metric_key}|${s.phase}|${s.cohort}|${s.segment}`, sumsOf(s));
	}
	const storedPhaseSums: SumsTable = new Map();
	for (const s of (await db.query(
		'select metric_key, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy from phase_stats where pilot_id = ?',
		pilot
	)) as RollupRow[]) {
		storedPhaseSums.set(`${s.metric_key}|${s.phase}|${s.cohort}`, sumsOf(s));
	}
	const phaseCases = new Map<string, number>();
	for (const [slot, n] of cases) {
		const key = slot.slice(slot.indexOf('|') + 1);
		phaseCases.set(key, (phaseCases.get(key) ?? 0) + n);
	}
	const storedPhaseCases = new Map(
		(
			(await db.query('select phase, cohort, n from phase_cases where pilot_id = ?', pilot)) as {
				phase: string;
				cohort: string;
				n: number;
			}[]
		).map((r) => [`${r.phase}|${r.cohort}`, r.n])
	);
	const storedCases = new Map(
		(
			(await db.query(
				'select day, phase, cohort, n from daily_cases where pilot_id = ?',
				pilot
			)) as { day: string; phase: string; cohort: string; n: number }[]
		).map((r) => [`${r.day}|${r.phase}|${r.cohort}`, r.n])
	);
	const storedQuantiles = new Map(
		(
			(await db.query(
				'select day, phase, cohort, count(*) as n from quantile_values where pilot_id = ? group by day, phase, cohort',
				pilot
			)) as { day: string; phase: string; cohort: string; n: number }[]
		).map((r) => [`${r.day}|${r.phase}|${r.cohort}`, r.n])
	);
	const groupCounts = async (sql: string): Promise<Map<string, number>> =>
		new Map(
			(
				(await db.query(sql, pilot)) as {
					metric_key: string;
					phase: string;
					cohort: string;
					n: number;
				}[]
			).map((r) => [`${r.metric_key}|${r.phase}|${r.cohort}`, r.n])
		);
	const bucketed = await groupCounts(
		'select metric_key, phase, cohort, sum(n) as n from quantile_buckets where pilot_id = ? group by metric_key, phase, cohort'
	);
	const ranged = await groupCounts(
		'select metric_key, phase, cohort, sum(n) as n from quantile_ranges where pilot_id = ? group by metric_key, phase, cohort'
	);
	const valued = await groupCounts(
		'select metric_key, phase, cohort, count(*) as n from quantile_values where pilot_id = ? group by metric_key, phase, cohort'
	);
	return {
		ids: rows.map((r) => r.external_id),
		phaseSums,
		storedPhaseSums,
		phaseCasesMatch: sameCounts(phaseCases, storedPhaseCases),
		dailySums,
		recomputedDailySums,
		segmentSums,
		recomputedSegmentSums,
		casesMatch: sameCounts(cases, storedCases),
		quantileValuesMatch: sameCounts(quantiles, storedQuantiles),
		quantileBucketsMatch: sameCounts(valued, bucketed) && sameCounts(valued, ranged),
		integrity
	};
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
	if (a.size !== b.size) return false;
	for (const [k, v] of a) if (b.get(k) !== v) return false;
	return true;
}

/**
 * Differences between two sums tables, as readable lines (empty when equal). The tests use
 * integer measures, so sums are exact; the tolerance only absorbs float formatting.
 */
export function sumsDiff(expected: SumsTable, actual: SumsTable): string[] {
	const out: string[] = [];
	for (const key of new Set([...expected.keys(), ...actual.keys()])) {
		const e = expected.get(key);
		const a = actual.get(key);
		if (!e || !a) {
			out.push(`${key}: expected ${JSON.stringify(e)}, stored ${JSON.stringify(a)}`);
			continue;
		}
		for (const k of Object.keys(e) as (keyof Sums)[]) {
			if (Math.abs(e[k] - a[k]) > 1e-9 * Math.max(1, Math.abs(e[k]))) {
				out.push(`${key}.${k}: expected ${e[k]}, stored ${a[k]}`);
			}
		}
	}
	return out;
}

/** Rows per table, to prove that a refused request wrote nothing. */
export function tableCounts(
	databasePath: string,
	tables: readonly string[]
): Record<string, number> {
	const db = new Database(databasePath, { readonly: true });
	try {
		db.pragma('busy_timeout = 10000');
		return Object.fromEntries(
			tables.map((t) => [t, db.prepare(`select count(*) from "${t}"`).pluck().get() as number])
		);
	} finally {
		db.close();
	}
}
