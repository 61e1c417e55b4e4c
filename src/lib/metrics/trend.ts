// Longer than most files, on purpose: the baseline-trend model, its fit, its checks and its
// prediction intervals are one derivation, read in order.

import type { Change } from './welch';
import { formatNumber, formatPercent, formatSigned } from './format';
import { DEFAULT_SETTINGS, type AnalysisSettings } from './settings';
import { tInterval, welchDf } from './welch';

/**
 * A baseline that was already moving: the baseline window's linear trend, how much of a
 * before/after change that trend or the pilot's weekday mix alone would explain, and whether
 * two cohorts' baselines moved in parallel. Days are local calendar days written
 * `YYYY-MM-DD`; they are read as dates, never converted between time zones.
 */

/** One day of a metric in one window: the cases that day and the metric's value that day. */
export interface DailyValue {
	readonly day: string;
	readonly n: number;
	readonly value: number;
}

/** Fewer days with cases than this give no trend: a slope on 5 residual df is already shaky. */
export const MIN_TREND_DAYS = 7;

export const TREND_REASON_TEXT = {
	invalid_points:
		'a day is not a calendar date (YYYY-MM-DD), or its case count or value is not a finite number',
	too_few_days: `fewer than ${MIN_TREND_DAYS} days with cases, too few to estimate a trend`,
	no_time_variance: 'all cases fall on one day, so there is no time span to estimate a trend over',
	no_residual_variance:
		'the daily values lie exactly on a straight line, so the trend’s uncertainty cannot be estimated',
	zero_baseline: 'the baseline value is 0, so a relative change cannot be computed',
	no_baseline_value: 'the baseline has no value, so a relative change cannot be computed',
	no_baseline_cases: 'the baseline has no cases',
	no_pilot_cases: 'the pilot has no cases',
	weekday_without_baseline:
		'the pilot has cases on a weekday without baseline cases; that weekday counts at the overall baseline value',
	numeric_overflow: 'the values are too large to compute with'
} as const;

export type TrendReason = keyof typeof TREND_REASON_TEXT;

export function describeTrendReason(code: TrendReason): string {
	return TREND_REASON_TEXT[code];
}

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a calendar date `YYYY-MM-DD` (`null` if it is not one). Date.UTC
 * counts calendar days without any time zone, so a local day stays the same day.
 */
export function dayNumber(day: string): number | null {
	let known = dayNumbers.get(day);
	if (known === undefined) {
		if (dayNumbers.size >= 4096) dayNumbers.clear();
		known = parseDayNumber(day);
		dayNumbers.set(day, known);
	}
	return known;
}

/** Days already read: a report reads the same few hundred days several times over. */
const dayNumbers = new Map<string, number | null>();

function parseDayNumber(day: string): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (match === null) return null;
	const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const ms = Date.UTC(year, month - 1, date);
	const check = new Date(ms);
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== date
	) {
		return null;
	}
	return ms / MS_PER_DAY;
}

export const WEEKDAYS = [
	'Monday',
	'Tuesday',
	'Wednesday',
	'Thursday',
	'Friday',
	'Saturday',
	'Sunday'
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** Monday = 0 … Sunday = 6 from a day number; 1970-01-01 was a Thursday. */
function weekdayIndex(dayNo: number): number {
	return (((dayNo + 3) % 7) + 7) % 7;
}

interface Day {
	readonly label: string;
	readonly dayNo: number;
	readonly n: number;
	readonly value: number;
}

type Days = { readonly days: readonly Day[] } | { readonly reason: TrendReason };

/**
 * The days with cases, in date order. Days with n = 0 carry no value and are dropped; rows of
 * the same day (e.g. one per segment) are merged into their case-weighted mean, which is the
 * day's value for mean and proportion metrics.
 */
function daysWithCases(points: readonly DailyValue[]): Days {
	// The trend, the mean days and the weekday mix each read the same arrays of one analysis.
	const known = parsedDays.get(points);
	if (known !== undefined && known.length === points.length) return known.days;
	const days = parseDays(points);
	parsedDays.set(points, { length: points.length, days });
	return days;
}

/** The days of an array of points (unchanged arrays: a point is read-only), weakly kept. */
const parsedDays = new WeakMap<readonly DailyValue[], { length: number; days: Days }>();

function parseDays(points: readonly DailyValue[]): Days {
	const byDay = new Map<number, { label: string; n: number; sum: number; value: number }>();
	for (const point of points) {
		const dayNo = dayNumber(point.day);
		if (dayNo === null || !Number.isFinite(point.n) || point.n < 0) {
			return { reason: 'invalid_points' };
		}
		if (point.n === 0) continue;
		if (!Number.isFinite(point.value)) return { reason: 'invalid_points' };
		const seen = byDay.get(dayNo);
		if (seen === undefined) {
			byDay.set(dayNo, {
				label: point.day,
				n: point.n,
				sum: point.n * point.value,
				value: point.value
			});
		} else {
			seen.n += point.n;
			seen.sum += point.n * point.value;
			seen.value = seen.sum / seen.n;
		}
	}
	const days = [...byDay.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([dayNo, d]) => ({ label: d.label, dayNo, n: d.n, value: d.value }));
	const finite = days.every((d) => Number.isFinite(d.n) && Number.isFinite(d.value));
	return finite ? { days } : { reason: 'numeric_overflow' };
}

/** Case-weighted mean of a list of numbers, Σ nᵢ·xᵢ / Σ nᵢ. */
function weightedMean(days: readonly Day[], x: (d: Day) => number): number {
	let cases = 0;
	let sum = 0;
	for (const d of days) {
		cases += d.n;
		sum += d.n * x(d);
	}
	return sum / cases;
}

/**
 * The case-weighted mean day of a window, in days since 1970-01-01 (`null` without cases or
 * with invalid points): the day a window's pooled value is centred on.
 */
export function caseWeightedMeanDay(points: readonly DailyValue[]): number | null {
	const parsed = daysWithCases(points);
	if ('reason' in parsed || parsed.days.length === 0) return null;
	const mean = weightedMean(parsed.days, (d) => d.dayNo);
	return Number.isFinite(mean) ? mean : null;
}

/**
 * Newey–West truncation lag, floor(4·(T/100)^(2/9)) (Newey & West 1994, the rule statsmodels
 * and Stata's `newey` users quote), capped at T − 1 where no further pairs exist. It gives
 * 2 lags for 7–27 days, 3 for 28–99, 4 from 100.
 */
export function neweyWestLags(days: number): number {
	return Math.max(0, Math.min(Math.floor(4 * (days / 100) ** (2 / 9)), days - 1));
}

/** A change times a constant: estimate, standard error and interval scale, p and df stay. */
function scaleChange(change: Change, k: number): Change | null {
	const ci =
		change.ci95 === null
			? null
			: ([change.ci95[0] * k, change.ci95[1] * k].sort((a, b) => a - b) as [number, number]);
	const scaled: Change = {
		estimate: change.estimate * k,
		ci95: ci,
		pValue: change.pValue,
		standardError: change.standardError === null ? null : change.standardError * Math.abs(k),
		df: change.df
	};
	return finiteChange(scaled);
}

function finiteChange(change: Change): Change | null {
	const numbers = [change.estimate, change.standardError ?? 0, ...(change.ci95 ?? [])];
	return numbers.every(Number.isFinite) ? change : null;
}

export interface BaselineTrend {
	/** Days with cases that entered the regression (T). */
	readonly days: number;
	readonly cases: number;
	readonly firstDay: string | null;
	readonly lastDay: string | null;
	/** Case-weighted mean day, in days since 1970-01-01 (as `dayNumber`). */
	readonly meanDay: number | null;
	/** Case-weighted mean of the daily values: the fitted line's value at `meanDay`. */
	readonly level: number | null;
	/** Newey–West truncation lag used, counted in days with cases. */
	readonly lags: number | null;
	/** Slope in the metric's unit per day; t interval and p-value on T − 2 df. */
	readonly slopePerDay: Change | null;
	readonly slopePerWeek: Change | null;
	/** Slope / |level|: the share of the baseline's value gained or lost per day. */
	readonly relativePerDay: Change | null;
	readonly relativePerWeek: Change | null;
	readonly reasons: readonly TrendReason[];
}

function emptyTrend(reason: TrendReason, days: readonly Day[] = []): BaselineTrend {
	const cases = days.reduce((acc, d) => acc + d.n, 0);
	return {
		days: days.length,
		cases: Number.isFinite(cases) ? cases : 0,
		firstDay: days[0]?.label ?? null,
		lastDay: days[days.length - 1]?.label ?? null,
		meanDay: null,
		level: null,
		lags: null,
		slopePerDay: null,
		slopePerWeek: null,
		relativePerDay: null,
		relativePerWeek: null,
		reasons: [reason]
	};
}

/**
 * The baseline window's linear trend: weighted least squares of the daily value on t = days
 * since the first day with cases, weights = the day's cases.
 *
 * Why weighted: a daily value is the mean of that day's n cases, so its sampling variance is
 * σ²/n; a day with 2 cases should not count as much as a day with 60. With weights n the fit
 * is the case-level regression of each case's value on its day, and the line passes through
 * (case-weighted mean day, case-weighted mean value) — the pooled baseline value for mean and
 * proportion metrics, the same point the projection starts from. Day-level noise that does not
 * shrink with n only makes the weights less efficient; the robust standard error stays valid.
 *
 * Standard error: Newey–West HAC with Bartlett kernel (Newey & West 1987), lags from
 * `neweyWestLags`, counted in days with cases. With ψᵢ = nᵢ(tᵢ − t̄)eᵢ / Σ nᵢ(tᵢ − t̄)², the
 * slope's row of the sandwich (X'WX)⁻¹ S (X'WX)⁻¹:
 *   Var = T/(T − 2) · [Σ ψᵢ² + 2 Σ_{l=1..L} (1 − l/(L + 1)) Σᵢ ψᵢψᵢ₋ₗ].
 * Small samples: the T/(T − 2) factor and Student t on T − 2 df — statsmodels'
 * `WLS(...).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': True}, use_t=True)`,
 * against which the tests are pinned.
 *
 * Coverage is below 95% on short series, HAC's known small-sample downward bias. Measured with
 * the same estimator on 4,000 seeded series each (no true trend, 5–59 cases a day): 80–82% at
 * T = 7 and 87–88% at T = 20 with independent days; 84% at T = 20 and 86% at T = 40 with AR(1)
 * day effects (ρ = 0.3). Fixed-b critical values (Kiefer & Vogelsang 2005) would add 3–8 points.
 */
export function baselineTrend(
	points: readonly DailyValue[],
	settings: AnalysisSettings = DEFAULT_SETTINGS
): BaselineTrend {
	const parsed = daysWithCases(points);
	if ('reason' in parsed) return emptyTrend(parsed.reason);
	const { days } = parsed;
	const T = days.length;
	if (T < MIN_TREND_DAYS) return emptyTrend(T === 1 ? 'no_time_variance' : 'too_few_days', days);

	const cases = days.reduce((acc, d) => acc + d.n, 0);
	const origin = days[0].dayNo;
	const tBar = weightedMean(days, (d) => d.dayNo - origin);
	const level = weightedMean(days, (d) => d.value);
	let stt = 0;
	let sty = 0;
	let syy = 0;
	for (const d of days) {
		const dt = d.dayNo - origin - tBar;
		stt += d.n * dt * dt;
		sty += d.n * dt * (d.value - level);
		syy += d.n * d.value * d.value;
	}
	if (![cases, tBar, level, stt, sty, syy].every(Number.isFinite)) {
		return emptyTrend('numeric_overflow', days);
	}
	if (!(stt > 0)) return emptyTrend('no_time_variance', days);

	const constant = days.every((d) => d.value === days[0].value);
	const slope = constant ? 0 : sty / stt;
	const psi: number[] = [];
	let rss = 0;
	for (const d of days) {
		const dt = d.dayNo - origin - tBar;
		const residual = constant ? 0 : d.value - level - slope * dt;
		rss += d.n * residual * residual;
		psi.push((d.n * dt * residual) / stt);
	}

	const reasons: TrendReason[] = [];
	const lags = neweyWestLags(T);
	let se = 0;
	// Rounding leaves residuals of about 1e-16·|y| on an exact line; the tolerance of
	// `sampleVariance` (phase-estimate.ts) tells them from real scatter.
	if (rss > settings.zeroVarianceTolerance * syy) {
		let s = 0;
		for (let i = 0; i < T; i++) s += psi[i] * psi[i];
		for (let l = 1; l <= lags; l++) {
			let lagged = 0;
			for (let i = l; i < T; i++) lagged += psi[i] * psi[i - l];
			s += 2 * (1 - l / (lags + 1)) * lagged;
		}
		const variance = (s * T) / (T - 2);
		se = variance > 0 ? Math.sqrt(variance) : 0;
	}
	if (se === 0) reasons.push('no_residual_variance');

	const slopePerDay = finiteChange(tInterval(slope, se, T - 2, settings.alpha));
	if (slopePerDay === null) return emptyTrend('numeric_overflow', days);
	const slopePerWeek = scaleChange(slopePerDay, 7);
	let relativePerDay: Change | null = null;
	let relativePerWeek: Change | null = null;
	if (level === 0) {
		reasons.push('zero_baseline');
	} else {
		// The level is taken as known: its own error moves the relative slope's interval only
		// at second order, and the projection scales the slope's interval the same way.
		relativePerDay = scaleChange(slopePerDay, 1 / Math.abs(level));
		relativePerWeek =
			relativePerDay === null ? null : scaleChange(slopePerDay, 7 / Math.abs(level));
	}
	if (slopePerWeek === null || (level !== 0 && relativePerWeek === null)) {
		reasons.push('numeric_overflow');
	}
	return {
		days: T,
		cases,
		firstDay: days[0].label,
		lastDay: days[T - 1].label,
		meanDay: origin + tBar,
		level,
		lags,
		slopePerDay,
		slopePerWeek,
		relativePerDay,
		relativePerWeek,
		reasons
	};
}

export interface TrendProjection {
	/** Pilot's minus baseline's case-weighted mean day. */
	readonly gapDays: number | null;
	/** slope × gap: the change the baseline's trend alone would produce; interval = slope's × gap. */
	readonly absolute: Change | null;
	/** absolute / |baseline value|, on the same scale as the report's relative change. */
	readonly relative: Change | null;
	readonly reasons: readonly TrendReason[];
}

/**
 * How much change the baseline's trend alone would produce between the baseline's and the
 * pilot's case-weighted mean days (`caseWeightedMeanDay`, or `trend.meanDay` for the baseline):
 * slope × gap, its interval the slope's interval × gap (the line is extrapolated as it is; a
 * linear trend need not go on, so this is what the trend *would* explain, not a forecast).
 * `baselineValue` is the report's baseline value, so `relative` compares with its relative change.
 */
export function trendProjection(
	trend: BaselineTrend,
	baselineMeanDay: number | null,
	pilotMeanDay: number | null,
	baselineValue: number | null
): TrendProjection {
	// The trend's own zero level does not matter here: `baselineValue` is the denominator.
	const reasons: TrendReason[] = trend.reasons.filter((r) => r !== 'zero_baseline');
	if (baselineMeanDay === null || !Number.isFinite(baselineMeanDay))
		reasons.push('no_baseline_cases');
	if (pilotMeanDay === null || !Number.isFinite(pilotMeanDay)) reasons.push('no_pilot_cases');
	if (baselineMeanDay === null || pilotMeanDay === null) {
		return { gapDays: null, absolute: null, relative: null, reasons: unique(reasons) };
	}
	const gapDays = pilotMeanDay - baselineMeanDay;
	const slope = trend.slopePerDay;
	if (slope === null || !Number.isFinite(gapDays)) {
		return {
			gapDays: Number.isFinite(gapDays) ? gapDays : null,
			absolute: null,
			relative: null,
			reasons: unique(reasons)
		};
	}
	const absolute = projectChange(slope, gapDays);
	let relative: Change | null = null;
	if (baselineValue === null || !Number.isFinite(baselineValue)) {
		reasons.push('no_baseline_value');
	} else if (baselineValue === 0) {
		reasons.push('zero_baseline');
	} else {
		relative = projectChange(slope, gapDays / Math.abs(baselineValue));
		if (relative === null) reasons.push('numeric_overflow');
	}
	if (absolute === null) reasons.push('numeric_overflow');
	return { gapDays, absolute, relative, reasons: unique(reasons) };
}

/** With no gap the trend explains exactly nothing: [0, 0], not an interval of a 0/0 test. */
function projectChange(slope: Change, k: number): Change | null {
	if (k === 0) return { estimate: 0, ci95: [0, 0], pValue: null, standardError: 0, df: slope.df };
	return scaleChange(slope, k);
}

export interface WeekdayMixRow {
	readonly weekday: Weekday;
	readonly baselineCases: number;
	readonly pilotCases: number;
	readonly baselineShare: number;
	readonly pilotShare: number;
	/** Case-weighted baseline value on this weekday; `null` without baseline cases. */
	readonly baselineValue: number | null;
}

export interface WeekdayMix {
	/** Monday first, all seven. Shares are 0 when the window has no cases. */
	readonly weekdays: readonly WeekdayMixRow[];
	/** Case-weighted mean of the baseline's daily values, Σ_w share_baseline(w)·value_baseline(w). */
	readonly baselineValue: number | null;
	/** Σ_w share_pilot(w)·value_baseline(w): the baseline re-weighted to the pilot's weekdays. */
	readonly pilotMixValue: number | null;
	/** pilotMixValue − baselineValue: the change the weekday mix alone would explain. */
	readonly absolute: number | null;
	/** absolute / |baselineValue|. */
	readonly relative: number | null;
	/** Weekdays with pilot cases but no baseline cases; valued at the overall baseline value. */
	readonly weekdaysWithoutBaseline: readonly Weekday[];
	readonly reasons: readonly TrendReason[];
}

/**
 * The change the pilot's weekday mix alone would explain (direct standardisation):
 * Σ_w share_pilot(w)·value_baseline(w) − Σ_w share_baseline(w)·value_baseline(w), computed as
 * Σ_w (share_pilot(w) − share_baseline(w))·value_baseline(w), which is exactly 0 for equal mixes.
 * A weekday without baseline cases counts at the overall baseline value (it then explains
 * nothing) and is listed in `weekdaysWithoutBaseline`. Point estimates only: daily values do not
 * carry the per-case variance an interval would need.
 */
export function weekdayMix(
	baselineDays: readonly DailyValue[],
	pilotDays: readonly DailyValue[]
): WeekdayMix {
	const baseline = daysWithCases(baselineDays);
	const pilot = daysWithCases(pilotDays);
	const bDays = 'reason' in baseline ? [] : baseline.days;
	const pDays = 'reason' in pilot ? [] : pilot.days;
	const bCases = new Array<number>(7).fill(0);
	const bSums = new Array<number>(7).fill(0);
	const pCases = new Array<number>(7).fill(0);
	for (const d of bDays) {
		bCases[weekdayIndex(d.dayNo)] += d.n;
		bSums[weekdayIndex(d.dayNo)] += d.n * d.value;
	}
	for (const d of pDays) pCases[weekdayIndex(d.dayNo)] += d.n;
	const bTotal = bCases.reduce((a, b) => a + b, 0);
	const pTotal = pCases.reduce((a, b) => a + b, 0);
	const overall = bTotal > 0 ? bSums.reduce((a, b) => a + b, 0) / bTotal : null;

	const weekdays: WeekdayMixRow[] = WEEKDAYS.map((weekday, w) => ({
		weekday,
		baselineCases: bCases[w],
		pilotCases: pCases[w],
		baselineShare: bTotal > 0 ? bCases[w] / bTotal : 0,
		pilotShare: pTotal > 0 ? pCases[w] / pTotal : 0,
		baselineValue: bCases[w] > 0 ? bSums[w] / bCases[w] : null
	}));
	const weekdaysWithoutBaseline = weekdays
		.filter((row) => row.pilotCases > 0 && row.baselineCases === 0)
		.map((row) => row.weekday);

	const reasons: TrendReason[] = [];
	if ('reason' in baseline) reasons.push(baseline.reason);
	if ('reason' in pilot) reasons.push(pilot.reason);
	if (!('reason' in baseline) && bTotal === 0) reasons.push('no_baseline_cases');
	if (!('reason' in pilot) && pTotal === 0) reasons.push('no_pilot_cases');
	const numbers = [bTotal, pTotal, overall ?? 0, ...weekdays.map((r) => r.baselineValue ?? 0)];
	if (!numbers.every(Number.isFinite)) reasons.push('numeric_overflow');
	if (reasons.length > 0 || overall === null) {
		return {
			weekdays: reasons.includes('numeric_overflow') ? [] : weekdays,
			baselineValue: reasons.includes('numeric_overflow') ? null : overall,
			pilotMixValue: null,
			absolute: null,
			relative: null,
			weekdaysWithoutBaseline,
			reasons: unique(reasons)
		};
	}
	if (weekdaysWithoutBaseline.length > 0) reasons.push('weekday_without_baseline');

	let absolute = 0;
	for (const row of weekdays) {
		absolute += (row.pilotShare - row.baselineShare) * (row.baselineValue ?? overall);
	}
	let relative: number | null = null;
	if (overall === 0) reasons.push('zero_baseline');
	else relative = absolute / Math.abs(overall);
	return {
		weekdays,
		baselineValue: overall,
		pilotMixValue: overall + absolute,
		absolute,
		relative,
		weekdaysWithoutBaseline,
		reasons
	};
}

export interface ParallelTrends {
	/** AI cohort's baseline slope − control cohort's, per day. */
	readonly difference: Change | null;
	readonly differencePerWeek: Change | null;
	/** Whether the interval of the difference includes 0; `null` without an interval. */
	readonly parallel: boolean | null;
	readonly reasons: readonly TrendReason[];
}

/**
 * The parallel-trends check behind a difference in differences: slope(ai) − slope(control),
 * standard error √(SE²_ai + SE²_control) (the cohorts are independent samples), Welch–
 * Satterthwaite df over the two fits' T − 2 df, t interval and two-sided p-value.
 */
export function parallelTrends(
	aiTrend: BaselineTrend,
	controlTrend: BaselineTrend,
	settings: AnalysisSettings = DEFAULT_SETTINGS
): ParallelTrends {
	const reasons = unique([...aiTrend.reasons, ...controlTrend.reasons]);
	const ai = aiTrend.slopePerDay;
	const control = controlTrend.slopePerDay;
	if (ai === null || control === null) {
		return { difference: null, differencePerWeek: null, parallel: null, reasons };
	}
	const estimate = ai.estimate - control.estimate;
	let se: number | null = null;
	let df: number | null = null;
	if (
		ai.standardError !== null &&
		control.standardError !== null &&
		ai.df !== null &&
		control.df !== null
	) {
		const variance = ai.standardError ** 2 + control.standardError ** 2;
		se = Math.sqrt(variance);
		// welchDf divides by n − 1: n = df + 1 gives each fit its T − 2 df.
		df = welchDf([
			{ variance: ai.standardError ** 2, n: ai.df + 1 },
			{ variance: control.standardError ** 2, n: control.df + 1 }
		]);
	}
	const difference = finiteChange(tInterval(estimate, se, df, settings.alpha));
	if (difference === null) {
		return {
			difference: null,
			differencePerWeek: null,
			parallel: null,
			reasons: unique([...reasons, 'numeric_overflow'])
		};
	}
	const ci = difference.ci95;
	return {
		difference,
		differencePerWeek: scaleChange(difference, 7),
		parallel: ci === null ? null : ci[0] <= 0 && ci[1] >= 0,
		reasons
	};
}

function unique(reasons: readonly TrendReason[]): TrendReason[] {
	return [...new Set(reasons)];
}

function intervalWords(
	ci: readonly [number, number] | null,
	format: (x: number) => string
): string {
	return ci === null ? 'no interval' : `95% interval ${format(ci[0])} to ${format(ci[1])}`;
}

function firstReason(reasons: readonly TrendReason[]): string {
	return reasons.length > 0 ? describeTrendReason(reasons[0]) : 'it cannot be computed';
}

/**
 * One sentence for leadership on the baseline's trend and, given a projection, what it alone
 * would explain, e.g. "The baseline was already falling 3.93% a week (95% interval -5.56% to
 * -2.3%): over the 38.3 days between the middles of the two windows that alone would explain
 * a change of -21.5%."
 */
export function describeTrend(
	trend: BaselineTrend,
	projection: TrendProjection | null = null
): string {
	const weekly = trend.relativePerWeek ?? trend.slopePerWeek;
	if (weekly === null)
		return `The baseline’s trend could not be estimated: ${firstReason(trend.reasons)}.`;
	const relative = trend.relativePerWeek !== null;
	const magnitude = (x: number): string => (relative ? formatPercent(x, false) : formatNumber(x));
	const signed = (x: number): string => (relative ? formatPercent(x) : formatSigned(x));
	const ci = weekly.ci95;
	const clear = ci === null ? weekly.estimate !== 0 : ci[0] > 0 || ci[1] < 0;
	const interval = intervalWords(ci, signed);
	let sentence: string;
	if (weekly.estimate === 0 && ci === null) {
		sentence = 'The baseline was flat';
	} else if (clear) {
		const direction = weekly.estimate < 0 ? 'falling' : 'rising';
		sentence = `The baseline was already ${direction} ${magnitude(Math.abs(weekly.estimate))} a week (${interval})`;
	} else {
		sentence = `The baseline showed no clear trend (${signed(weekly.estimate)} a week, ${interval})`;
	}
	const explained = projection?.relative ?? projection?.absolute ?? null;
	if (projection === null || projection.gapDays === null || explained === null)
		return `${sentence}.`;
	const amount =
		projection.relative !== null
			? formatPercent(explained.estimate)
			: formatSigned(explained.estimate);
	const days = formatNumber(Math.abs(projection.gapDays));
	return `${sentence}: over the ${days} days between the middles of the two windows that alone would explain a change of ${amount}.`;
}

/** One sentence for leadership on the weekday mix, e.g. "The pilot's weekday mix differs …". */
export function describeWeekdayMix(mix: WeekdayMix): string {
	if (mix.absolute === null)
		return `The weekday mix could not be compared: ${firstReason(mix.reasons)}.`;
	const amount = mix.relative !== null ? formatPercent(mix.relative) : formatSigned(mix.absolute);
	const missing =
		mix.weekdaysWithoutBaseline.length === 0
			? ''
			: ` (${listWords(mix.weekdaysWithoutBaseline)} had no baseline cases and count at the overall baseline value)`;
	if (mix.absolute === 0) {
		return `The pilot’s weekday mix matches the baseline’s, so it explains none of the change${missing}.`;
	}
	return `The pilot’s weekday mix differs from the baseline’s: that alone would explain a change of ${amount}${missing}.`;
}

/** One sentence for leadership on whether the cohorts' baselines moved in parallel. */
export function describeParallelTrends(result: ParallelTrends): string {
	const weekly = result.differencePerWeek;
	if (weekly === null || result.parallel === null) {
		return `Whether the two cohorts’ baselines moved in parallel could not be checked: ${firstReason(result.reasons)}.`;
	}
	const numbers = `${formatSigned(weekly.estimate)} a week, ${intervalWords(weekly.ci95, formatSigned)}`;
	if (result.parallel) {
		return `The AI and control cohorts’ baselines moved in parallel (difference in slope ${numbers}).`;
	}
	return `The AI and control cohorts’ baselines were not moving in parallel (difference in slope ${numbers}), so the control cohort may not show what the AI cohort would have done without AI.`;
}

function listWords(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
