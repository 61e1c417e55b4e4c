import { resolveSettings, type AnalysisSettings } from '../metrics/settings';
import { estimatePhase } from '../metrics/phase-estimate';
import { mergeAll, type PhaseStats } from '../metrics/sufficient-stats';
import { normalQuantile } from '../metrics/distributions';
import type { MetricReport } from '../metrics';
import { periodOf, type Granularity, type SeriesPhase, type SeriesPoint } from './time-series';

/*
 * Series points from per-day rollups, with the metrics core's estimates. Kept apart from the
 * chart layout (time-series.ts) because it pulls in the statistics: it runs where the report
 * is built, on the server, and the browser receives only the finished points.
 */

/** A rollup row: one metric's sufficient statistics for one local day and phase. */
export interface DayStats {
	readonly day: string;
	readonly phase: SeriesPhase;
	readonly stats: PhaseStats | null;
}

/**
 * Level and 95% interval of one group of cases, by the metrics core's estimate of the value
 * and its variance, with a normal interval: per-period points are a picture of the trend, the
 * test itself is the report's. Proportions are kept inside [0, 1].
 */
export function levelOf(
	stats: PhaseStats | null,
	kind: MetricReport['kind'],
	settings: AnalysisSettings = resolveSettings(),
	quantile?: number
): { n: number; value: number | null; ci95: readonly [number, number] | null } {
	const estimate = estimatePhase(stats, kind, settings, quantile);
	if (estimate.value === null) return { n: estimate.n, value: null, ci95: null };
	const variance = estimate.valueVariance;
	if (variance === null || !(variance > 0) || estimate.n < 2) {
		return { n: estimate.n, value: estimate.value, ci95: null };
	}
	const half = normalQuantile(1 - settings.alpha / 2) * Math.sqrt(variance);
	let lo = estimate.value - half;
	let hi = estimate.value + half;
	if (kind === 'proportion') {
		lo = Math.max(0, lo);
		hi = Math.min(1, hi);
	}
	return Number.isFinite(lo) && Number.isFinite(hi)
		? { n: estimate.n, value: estimate.value, ci95: [lo, hi] }
		: { n: estimate.n, value: estimate.value, ci95: null };
}

/**
 * Per-day rollups into series points at the chosen granularity. Periods never mix phases: a
 * week that straddles the pilot start becomes two points, each dated by its first day.
 */
export function seriesPoints(
	rows: readonly DayStats[],
	kind: MetricReport['kind'],
	granularity: Granularity,
	settings: AnalysisSettings = resolveSettings(),
	quantile?: number
): SeriesPoint[] {
	const groups = new Map<string, { day: string; phase: SeriesPhase; parts: PhaseStats[] }>();
	for (const row of [...rows].sort((a, b) => a.day.localeCompare(b.day))) {
		const key = `${row.phase}:${periodOf(row.day, granularity)}`;
		let group = groups.get(key);
		if (group === undefined) {
			group = { day: row.day, phase: row.phase, parts: [] };
			groups.set(key, group);
		}
		if (row.stats !== null) group.parts.push(row.stats);
	}
	return [...groups.values()]
		.map(({ day, phase, parts }) => ({
			day,
			phase,
			...levelOf(mergeAll(parts), kind, settings, quantile)
		}))
		.filter((p) => p.n > 0);
}
