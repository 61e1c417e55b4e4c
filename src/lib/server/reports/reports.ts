// Longer than most files, on purpose: the report's reads from the rollups and what it keeps under
// the data version are one unit: a cache must match its reads.

import {
	buildImpactReport,
	type BaselineSummary,
	type CohortStats,
	type ImpactReport,
	type PhaseStats,
	type PilotStats,
	quantileRanks,
	resolveSettings
} from '$lib/metrics';
import { missingGovernance } from '$lib/domain/governance';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { Db } from '../db';
import { getDb, statement } from '../db';
import { transaction } from '../db/statements';
import * as evaluations from '../pilots/evaluations';
import { valuesAtRanks } from '../stats/quantile-buckets';
import { statsOfSums, type RollupSums } from '../stats/rollup-stats';
import { dataVersion } from '../stats/data-version';
import { loadSegmentStats } from '../stats/segment-stats';
import { primaryDaily } from './primary-daily';
import type { PlanState } from '../pilots/plans';

export {
	loadSegmentStats,
	type SegmentMetricStats,
	type SegmentStats
} from '../stats/segment-stats';
import type { Cohort, Phase } from '$lib/domain/terms';

// Impact reports from the rollups: a handful of grouped sums per metric, whatever the number
// of events. Quantile metrics read the few order statistics their estimate needs, by rank
// (quantile-buckets.ts).

const DAY_MS = 86_400_000;

interface SumsRow extends RollupSums {
	metric_key: string;
	phase: Phase;
	cohort: Cohort;
	version: number;
}

/**
 * The sufficient statistics of a pilot's events, per metric, phase and cohort. Read in one
 * transaction, so the counts and the order statistics looked up by them are of one snapshot.
 */
export async function loadStats(
	db: Db,
	pilotId: number,
	plan: PlanDefinition
): Promise<PilotStats> {
	return transaction(db, () => readStats(db, pilotId, plan), { readOnly: true });
}

async function readStats(db: Db, pilotId: number, plan: PlanDefinition): Promise<PilotStats> {
	const rows = statement(
		db,
		`SELECT metric_key, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy, version
			 FROM phase_stats WHERE pilot_id = ?`
	).all(pilotId) as SumsRow[];
	const sums = new Map(rows.map((r) => [`${r.metric_key}|${r.phase}|${r.cohort}`, r]));
	const alpha = resolveSettings().alpha;

	const metrics: Record<string, Record<Phase, CohortStats>> = {};
	for (const metric of plan.metrics) {
		const slot = async (phase: Phase, cohort: Cohort): Promise<PhaseStats | null> => {
			const r = sums.get(`${metric.key}|${phase}|${cohort}`);
			if (!r || r.n === 0) return null;
			if (metric.kind === 'quantile') {
				const group = { metricKey: metric.key, phase, cohort };
				const ranks = quantileRanks(r.n, metric.quantile ?? 0.5, alpha);
				return {
					type: 'order',
					n: r.n,
					ranks: await orderStatistics(db, pilotId, group, r, ranks)
				};
			}
			return statsOfSums(metric.kind, r);
		};
		metrics[metric.key] = {
			baseline: { ai: await slot('baseline', 'ai'), control: await slot('baseline', 'control') },
			pilot: { ai: await slot('pilot', 'ai'), control: await slot('pilot', 'control') }
		};
	}

	const cases = { baseline: { ai: 0, control: 0 }, pilot: { ai: 0, control: 0 } };
	for (const r of statement(db, 'SELECT phase, cohort, n FROM phase_cases WHERE pilot_id = ?').all(
		pilotId
	) as { phase: Phase; cohort: Cohort; n: number }[]) {
		cases[r.phase][r.cohort] = r.n;
	}
	return { metrics, cases };
}

/**
 * Order statistics looked up per connection, by pilot and group, with the version of the
 * group's `phase_stats` row they were read at: a group's values change only in a transaction
 * that changes that row and stamps it with the pilot's new data version (a batch adds to it, a
 * rebuild makes it anew), so while the stored stamp is the kept one, so are the values at the
 * kept ranks. The stamp is read from the database with the counts, in the report's transaction:
 * a batch that another instance stored is seen like one of ours. After a batch of the pilot's
 * current days, the baseline's groups are answered from here and only the changed ones looked up.
 */
const orderStatisticsCaches = new WeakMap<object, Map<string, KeptOrderStatistics>>();
/** Groups kept per connection: a portfolio of a few dozen pilots' quantile metrics fits. */
const ORDER_STATISTICS_CACHE_SIZE = 800;

interface KeptOrderStatistics {
	version: number;
	ranks: string;
	values: Map<number, number>;
}

async function orderStatistics(
	db: Db,
	pilotId: number,
	group: { metricKey: string; phase: Phase; cohort: Cohort },
	row: SumsRow,
	ranks: readonly number[]
): Promise<Map<number, number>> {
	let cache = orderStatisticsCaches.get(db.$client);
	if (!cache) {
		cache = new Map();
		orderStatisticsCaches.set(db.$client, cache);
	}
	const slot = `${pilotId}|${group.metricKey}|${group.phase}|${group.cohort}`;
	const wanted = `${row.n}|${ranks.join()}`;
	const kept = cache.get(slot);
	cache.delete(slot);
	const values =
		kept !== undefined && kept.version === row.version && kept.ranks === wanted
			? kept.values
			: await valuesAtRanks(db, pilotId, group, row.n, ranks);
	cache.set(slot, { version: row.version, ranks: wanted, values });
	while (cache.size > ORDER_STATISTICS_CACHE_SIZE) cache.delete(cache.keys().next().value!);
	return values;
}

/** Days of the pilot window elapsed at `now` (0 before it starts, its length after it ends). */
export function pilotDaysElapsed(plan: PlanDefinition, now: Date): number {
	const start = Date.parse(plan.pilotWindow.start);
	const end = Date.parse(plan.pilotWindow.end);
	return Math.max(0, Math.min(now.getTime(), end) - start) / DAY_MS;
}

/** Per metric: first and last day with baseline (AI cohort) events, and how many. */
export async function baselineCoverage(
	db: Db,
	pilotId: number
): Promise<Map<string, { n: number; firstDay: string; lastDay: string; days: number }>> {
	const rows = statement(
		db,
		`SELECT metric_key, sum(n) AS n, min(day) AS first_day, max(day) AS last_day, count(*) AS days
			 FROM daily_stats WHERE pilot_id = ? AND phase = 'baseline' AND cohort = 'ai'
			 GROUP BY metric_key`
	).all(pilotId) as {
		metric_key: string;
		n: number;
		first_day: string;
		last_day: string;
		days: number;
	}[];
	return new Map(
		rows.map((r) => [
			r.metric_key,
			{ n: r.n, firstDay: r.first_day, lastDay: r.last_day, days: r.days }
		])
	);
}

/**
 * The metrics a headline needs: the primary metric and guardrails (the recommendation reads
 * nothing else) and those valued in money (the economics). A secondary metric without a money
 * value changes none of the headline's numbers, so the portfolio does not read it.
 */
export function headlineMetrics(plan: PlanDefinition): PlanDefinition['metrics'] {
	return plan.metrics.filter(
		(m) =>
			m.role === 'primary' ||
			m.role === 'guardrail' ||
			m.staffTime === true ||
			m.valuePerUnit !== undefined
	);
}

/**
 * The impact report of docs/api.md for a pilot with a plan; `null` when it has none yet. `headline`
 * reports only `headlineMetrics`: the same recommendation and money, for the portfolio.
 */
export async function impactReport(
	state: PlanState,
	now: Date = new Date(),
	db: Db = getDb(),
	scope: 'full' | 'headline' = 'full'
): Promise<ImpactReport | null> {
	const fullPlan = state.definition;
	if (!fullPlan) return null;
	const plan = scope === 'full' ? fullPlan : { ...fullPlan, metrics: headlineMetrics(fullPlan) };
	const summaries: Record<string, BaselineSummary> = {};
	for (const [key, s] of Object.entries(state.summaries)) {
		summaries[key] =
			'successes' in s
				? { n: s.n, successes: s.successes, source: s.source }
				: { n: s.n, mean: s.mean, sd: s.sd, source: s.source };
	}
	const stats: PilotStats = {
		...(await reportStats(db, state.pilot.id, plan, scope)),
		...(Object.keys(summaries).length > 0 ? { baselineSummaries: summaries } : {})
	};
	return buildImpactReport(plan, stats, {
		generatedAt: now.toISOString(),
		stage: state.pilot.stage,
		pilotDaysElapsed: pilotDaysElapsed(plan, now),
		evaluation: await latestEvaluation(state.pilot.id, db),
		governanceMissing: missingGovernance(state.pilot.governance),
		amendments: state.amendments.map((a) => ({
			at: a.at,
			reason: a.reason,
			...(a.by ? { by: a.by } : {})
		}))
	});
}

/**
 * What a report reads from the rollups, kept per connection and pilot with the key it was read
 * under: the pilot's data version (raised by every transaction that changes its rollups, see
 * `data_versions`) and the plan it was read for. The version is read from the database on
 * every report, in the same transaction as the rollups on a miss, so an instance never serves
 * statistics that a write (by it or by another instance on the same database) has changed;
 * a cache nobody else can invalidate is never trusted on its own. A hit saves the rollup reads
 * (phase totals, quantile ranks, segments, the primary's days); with the same `daily` array the
 * metrics core also reuses its baseline-trend analysis (`baselineDrift`). On a miss the
 * primary's days are read again only where they changed (primary-daily.ts).
 */
const reportStatsCaches = new WeakMap<object, Map<string, { key: string; stats: RollupStats }>>();
/** Pilots × scopes kept per connection: a portfolio of a few dozen pilots fits. */
const REPORT_STATS_CACHE_SIZE = 100;

type RollupStats = Pick<PilotStats, 'metrics' | 'cases' | 'segments' | 'daily'>;

async function reportStats(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	scope: 'full' | 'headline'
): Promise<RollupStats> {
	let cache = reportStatsCaches.get(db.$client);
	if (!cache) {
		cache = new Map();
		reportStatsCaches.set(db.$client, cache);
	}
	const slot = `${pilotId}|${scope}`;
	return transaction(
		db,
		async (): Promise<RollupStats> => {
			const version = await dataVersion(db, pilotId);
			const key = `${version}|${JSON.stringify(plan)}`;
			const cached = cache.get(slot);
			cache.delete(slot);
			if (cached !== undefined && cached.key === key) {
				cache.set(slot, cached);
				return cached.stats;
			}
			const stats: RollupStats = {
				...(await readStats(db, pilotId, plan)),
				segments: await loadSegmentStats(db, pilotId, plan),
				daily: primaryDaily(db, pilotId, plan, version)
			};
			cache.set(slot, { key, stats });
			while (cache.size > REPORT_STATS_CACHE_SIZE) cache.delete(cache.keys().next().value!);
			return stats;
		},
		{ readOnly: true }
	);
}

/** One metric's statistics for one local day and phase (AI cohort), for time series. */
export interface DailyMetricStats {
	readonly day: string;
	readonly phase: Phase;
	readonly stats: PhaseStats | null;
}

/** Recently drawn quantile metrics' per-day values per database, least recently used first. */
const dailyQuantileCaches = new WeakMap<object, Map<string, DailyQuantiles>>();
const DAILY_QUANTILE_CACHE_SIZE = 8;

interface DailyQuantiles {
	version: string;
	days: DailyMetricStats[];
}

function dailyQuantileCache(db: Db): Map<string, DailyQuantiles> {
	let cache = dailyQuantileCaches.get(db.$client);
	if (!cache) {
		cache = new Map();
		dailyQuantileCaches.set(db.$client, cache);
	}
	return cache;
}

function rememberDailyQuantiles(db: Db, key: string, entry: DailyQuantiles): void {
	const cache = dailyQuantileCache(db);
	cache.delete(key);
	cache.set(key, entry);
	while (cache.size > DAILY_QUANTILE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

/**
 * Per metric, its per-day statistics of the AI cohort in day order: the rollups as they are
 * stored (quantile metrics: the day's values), for charts of the trend.
 */
export async function loadDailyStats(
	db: Db,
	pilotId: number,
	plan: PlanDefinition
): Promise<Record<string, DailyMetricStats[]>> {
	const rows = statement(
		db,
		`SELECT metric_key, day, phase, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy FROM daily_stats
			 WHERE pilot_id = ? AND cohort = 'ai' ORDER BY metric_key, day, phase`
	).all(pilotId) as (Omit<SumsRow, 'cohort'> & { day: string })[];
	const quantileValues = statement(
		db,
		`SELECT day, phase, value FROM quantile_values
		 WHERE pilot_id = ? AND metric_key = ? AND cohort = 'ai' ORDER BY day, phase`
	);
	const result: Record<string, DailyMetricStats[]> = {};
	for (const metric of plan.metrics) {
		if (metric.kind === 'quantile') {
			// The day of every value is a table read per value (the index orders by value), so the
			// grouped values are kept until the metric's per-day counts or definition change.
			const version =
				JSON.stringify(metric) +
				rows
					.filter((r) => r.metric_key === metric.key)
					.map((r) => `${r.day}${r.phase}${r.n}`)
					.join();
			const cacheKey = `${pilotId}|${metric.key}`;
			const cached = dailyQuantileCache(db).get(cacheKey);
			if (cached && cached.version === version) {
				rememberDailyQuantiles(db, cacheKey, cached);
				result[metric.key] = cached.days;
				continue;
			}
			const byDay = new Map<string, { day: string; phase: Phase; values: number[] }>();
			for (const r of quantileValues.all(pilotId, metric.key) as {
				day: string;
				phase: Phase;
				value: number;
			}[]) {
				const key = `${r.day}|${r.phase}`;
				let group = byDay.get(key);
				if (!group) {
					group = { day: r.day, phase: r.phase, values: [] };
					byDay.set(key, group);
				}
				group.values.push(r.value);
			}
			const days: DailyMetricStats[] = [...byDay.values()].map((g) => ({
				day: g.day,
				phase: g.phase,
				stats: { type: 'values', values: g.values }
			}));
			rememberDailyQuantiles(db, cacheKey, { version, days });
			result[metric.key] = days;
			continue;
		}
		result[metric.key] = rows
			.filter((r) => r.metric_key === metric.key)
			.map((r) => ({
				day: r.day,
				phase: r.phase,
				stats: statsOfSums(metric.kind === 'ratio' ? 'ratio' : 'mean', r)
			}));
	}
	return result;
}

/** The run that counts for the quality gates, in the metrics core's shape. */
async function latestEvaluation(
	pilotId: number,
	db: Db
): Promise<{ name: string; criteria: Record<string, { passed: number; total: number }> } | null> {
	const run = await evaluations.latest(pilotId, db);
	return run ? { name: run.name, criteria: run.criteria } : null;
}
