import type { Cohort, Phase } from '../domain/terms';
import type { MetricDefinition } from '../schemas/plan';
import type { AnalysisSettings } from './settings';
import type { PhaseStats } from './sufficient-stats';
import { estimatePhase } from './phase-estimate';
import { reachesTarget, scaledSize } from './verdict';
import { tInterval } from './welch';
import { statsCount } from './sufficient-stats';
import {
	baselineTrend,
	caseWeightedMeanDay,
	describeParallelTrends,
	describeTrend,
	describeWeekdayMix,
	parallelTrends,
	trendProjection,
	weekdayMix,
	type BaselineTrend,
	type DailyValue,
	type ParallelTrends,
	type TrendProjection,
	type WeekdayMix
} from './trend';

/** One local day's statistics of a metric, in one phase and cohort. */
export interface DailyPoint {
	readonly day: string;
	readonly phase: Phase;
	readonly cohort: Cohort;
	readonly stats: PhaseStats | null;
}

/**
 * A before/after pilot without a control cohort is exposed to what was already happening:
 * a baseline that was falling, or a pilot window with a different weekday mix. For the primary
 * metric, the report measures both and says how much of the change each would explain alone;
 * with a control cohort it checks that both cohorts' baselines moved in parallel.
 */
export interface BaselineDrift {
	readonly metricKey: string;
	readonly trend: BaselineTrend;
	/** The change the baseline's trend alone would produce by the pilot's mean day. */
	readonly projection: TrendProjection;
	readonly weekdayMix: WeekdayMix;
	/** With control cases in the baseline: do the cohorts' baselines move in parallel? */
	readonly parallelTrends: ParallelTrends | null;
	/**
	 * The pilot's change minus what the trend alone would explain, on the target's scale; `null`
	 * without a target or a projection.
	 */
	readonly changeNetOfTrend: number | null;
	/**
	 * The trend could explain reaching the target: the slope is clear of 0 in the good direction
	 * on an 80% interval (a one-sided test at 10%), and the change net of the trend does not pass
	 * `meetsTarget`'s test (its estimate and its decision interval, both minus the projection). The bar is lower than 95% on purpose: a trend that plausibly explains the gain
	 * should stop a `scale`, not only one proven beyond doubt. Then `scale` is not recommended.
	 */
	readonly trendReachesTarget: boolean;
	/** One plain sentence each, for the page and the printed report. */
	readonly sentences: {
		readonly trend: string;
		readonly weekdayMix: string;
		readonly parallelTrends: string | null;
	};
}

function dailyValues(
	points: readonly DailyPoint[],
	phase: Phase,
	cohort: Cohort,
	metric: MetricDefinition,
	settings: AnalysisSettings
): DailyValue[] {
	return points.flatMap((p) => {
		if (p.phase !== phase || p.cohort !== cohort || p.stats === null) return [];
		const n = statsCount(p.stats);
		const value = estimatePhase(p.stats, metric.kind, settings, metric.quantile).value;
		return n > 0 && value !== null ? [{ day: p.day, n, value }] : [];
	});
}

/** The primary metric's change with the interval it is judged on, on both scales. */
export interface ObservedChange {
	readonly baselineValue: number | null;
	readonly absolute: {
		readonly estimate: number;
		readonly ci95: readonly [number, number] | null;
	} | null;
	readonly relative: {
		readonly estimate: number;
		readonly ci95: readonly [number, number] | null;
	} | null;
}

/**
 * The last analysis per points array. The server hands the same (read-only) array to every
 * report until the pilot's data change, and the analysis is a pure function of its inputs, so
 * the same array with the same metric, change and settings gives the same result without
 * refitting the trend. Keyed weakly: an array nobody holds takes its entry with it.
 */
const lastDrift = new WeakMap<readonly DailyPoint[], { key: string; drift: BaselineDrift }>();

export function baselineDrift(
	metric: MetricDefinition,
	points: readonly DailyPoint[],
	observed: ObservedChange,
	settings: AnalysisSettings
): BaselineDrift {
	const key = JSON.stringify([metric, observed, settings]);
	const last = lastDrift.get(points);
	if (last !== undefined && last.key === key) return last.drift;
	const drift = analyseDrift(metric, points, observed, settings);
	lastDrift.set(points, { key, drift });
	return drift;
}

function analyseDrift(
	metric: MetricDefinition,
	points: readonly DailyPoint[],
	observed: ObservedChange,
	settings: AnalysisSettings
): BaselineDrift {
	const { baseline, trend, parallel } = baselineFits(metric, points, settings);
	const pilot = dailyValues(points, 'pilot', 'ai', metric, settings);
	const projection = trendProjection(
		trend,
		caseWeightedMeanDay(baseline),
		caseWeightedMeanDay(pilot),
		observed.baselineValue
	);
	const mix = weekdayMix(baseline, pilot);
	const net = netOfTrend(metric, projection, observed);
	return {
		metricKey: metric.key,
		trend,
		projection,
		weekdayMix: mix,
		parallelTrends: parallel,
		changeNetOfTrend: net,
		trendReachesTarget:
			suggestive(metric, trend) && !reachesNetOfTrend(metric, projection, observed, settings),
		sentences: {
			trend: describeTrend(trend, projection),
			weekdayMix: describeWeekdayMix(mix),
			parallelTrends: parallel === null ? null : describeParallelTrends(parallel)
		}
	};
}

/** The baseline's part of the analysis: its days, its trend, and whether the cohorts' ran parallel. */
interface BaselineFits {
	readonly baseline: DailyValue[];
	readonly trend: BaselineTrend;
	readonly parallel: ParallelTrends | null;
}

/**
 * Recent baseline fits by what they are a pure function of: the baseline's points, the metric's
 * kind and quantile, the settings. New cases of a running pilot change only its own days, so
 * the report after each batch finds the baseline's fits here instead of fitting ~90 days again
 * (per cohort). The key is the points' content, not their identity: equal content, equal fits.
 */
const recentBaselineFits = new Map<string, BaselineFits>();
const BASELINE_FITS_KEPT = 64;

function baselineFits(
	metric: MetricDefinition,
	points: readonly DailyPoint[],
	settings: AnalysisSettings
): BaselineFits {
	const key = JSON.stringify([
		metric.kind,
		metric.quantile ?? null,
		settings,
		points.filter((p) => p.phase === 'baseline')
	]);
	let fits = recentBaselineFits.get(key);
	if (fits === undefined) {
		const baseline = dailyValues(points, 'baseline', 'ai', metric, settings);
		const control = dailyValues(points, 'baseline', 'control', metric, settings);
		const trend = baselineTrend(baseline, settings);
		const parallel =
			control.length > 0 ? parallelTrends(trend, baselineTrend(control, settings), settings) : null;
		fits = { baseline, trend, parallel };
		if (recentBaselineFits.size >= BASELINE_FITS_KEPT) recentBaselineFits.clear();
		recentBaselineFits.set(key, fits);
	}
	return fits;
}

/** Two-sided error rate of the slope's interval in `trendReachesTarget`. */
const TREND_ALPHA = 0.2;

/** Is the slope clear of 0 in the metric's good direction on an 80% interval? */
function suggestive(metric: MetricDefinition, trend: BaselineTrend): boolean {
	const fit = trend.slopePerDay;
	if (fit === null) return false;
	const slope = tInterval(fit.estimate, fit.standardError, fit.df, TREND_ALPHA).ci95;
	if (slope === null) return false;
	return metric.direction === 'decrease' ? slope[1] < 0 : slope[0] > 0;
}

/** The projection and the observed change on the target's scale; `null` without a target. */
function onTargetScale(
	metric: MetricDefinition,
	projection: TrendProjection,
	observed: ObservedChange
): { explained: number; change: NonNullable<ObservedChange['absolute']> } | null {
	if (metric.target === undefined) return null;
	const relative = 'relative' in metric.target;
	const explained = relative ? projection.relative : projection.absolute;
	const change = relative ? observed.relative : observed.absolute;
	return explained === null || change === null ? null : { explained: explained.estimate, change };
}

function netOfTrend(
	metric: MetricDefinition,
	projection: TrendProjection,
	observed: ObservedChange
): number | null {
	const scaled = onTargetScale(metric, projection, observed);
	return scaled === null ? null : scaled.change.estimate - scaled.explained;
}

/**
 * `meetsTarget`'s test (verdict.ts) on the change net of the trend: the estimate and the
 * decision interval, both minus the projection.
 */
function reachesNetOfTrend(
	metric: MetricDefinition,
	projection: TrendProjection,
	observed: ObservedChange,
	settings: AnalysisSettings
): boolean {
	const scaled = onTargetScale(metric, projection, observed);
	if (metric.target === undefined || scaled === null || scaled.change.ci95 === null) return false;
	const { explained, change } = scaled;
	const [lower, upper] = change.ci95!;
	return reachesTarget(
		{ estimate: change.estimate - explained, ci95: [lower - explained, upper - explained] },
		metric.direction,
		scaledSize(metric.target),
		settings.meaningfulShareOfTarget
	);
}
