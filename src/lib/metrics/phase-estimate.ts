import type { PhaseStats } from './sufficient-stats';
import type { ReasonCode } from './reasons';
import type { AnalysisSettings } from './settings';
import { quantileAt, quantileStandardErrorAt, sortedLookup, type RankLookup } from './quantile';

import type { MetricKind } from '../domain/terms';
export type { MetricKind };

/** One phase's value and the variance of that value, or the reasons they are missing. */
export interface PhaseEstimate {
	readonly n: number;
	/** The metric's value in this phase (docs/api.md "value"). */
	readonly value: number | null;
	/** Variance of `value` as an estimator (per-case variance / n); the square of its SE. */
	readonly valueVariance: number | null;
	readonly reasons: readonly ReasonCode[];
}

function finite(...xs: number[]): boolean {
	return xs.every(Number.isFinite);
}

/**
 * Sample variance from sums, (Σx² − (Σx)²/n)/(n − 1). Rounding leaves a tiny residue when
 * all values are equal, so a variance below `tolerance`·mean square counts as 0; a clearly
 * negative one means the sums cannot come from real data.
 */
function sampleVariance(
	n: number,
	sum: number,
	sumSquares: number,
	tolerance: number
): number | 'negative' {
	const centred = sumSquares - (sum * sum) / n;
	const scale = Math.max(Math.abs(sumSquares), (sum * sum) / n);
	if (Math.abs(centred) <= tolerance * scale) return 0;
	if (centred < 0) return 'negative';
	return centred / (n - 1);
}

function result(
	n: number,
	value: number | null,
	valueVariance: number | null,
	reasons: ReasonCode[]
): PhaseEstimate {
	if (value !== null && !Number.isFinite(value)) {
		return { n, value: null, valueVariance: null, reasons: [...reasons, 'numeric_overflow'] };
	}
	if (valueVariance !== null && !Number.isFinite(valueVariance)) {
		return { n, value, valueVariance: null, reasons: [...reasons, 'numeric_overflow'] };
	}
	return { n, value, valueVariance, reasons };
}

/** A quantile and the variance of it from its order statistics (n ≥ 1). */
function quantileEstimate(
	valueAt: RankLookup,
	n: number,
	quantile: number,
	alpha: number
): PhaseEstimate {
	const value = quantileAt(valueAt, n, quantile);
	if (n === 1) return result(n, value, null, ['too_few_cases']);
	const se = quantileStandardErrorAt(valueAt, n, quantile, alpha);
	if (se === null) return result(n, value, null, ['quantile_ci_needs_more_cases']);
	return result(n, value, se * se, []);
}

export function estimatePhase(
	stats: PhaseStats | null,
	kind: MetricKind,
	settings: AnalysisSettings,
	quantile = 0.5
): PhaseEstimate {
	if (stats === null) return { n: 0, value: null, valueVariance: null, reasons: ['empty_phase'] };
	const tol = settings.zeroVarianceTolerance;

	if (stats.type === 'values') {
		const n = stats.values.length;
		if (n === 0) return result(0, null, null, ['empty_phase']);
		if (!stats.values.every(Number.isFinite)) return result(n, null, null, ['numeric_overflow']);
		const sorted = Float64Array.from(stats.values).sort();
		return quantileEstimate(sortedLookup(sorted), n, quantile, settings.alpha);
	}

	if (stats.type === 'order') {
		const { n, ranks } = stats;
		if (n === 0) return result(0, null, null, ['empty_phase']);
		if (![...ranks.values()].every(Number.isFinite)) {
			return result(n, null, null, ['numeric_overflow']);
		}
		const valueAt = (rank: number): number => {
			const value = ranks.get(rank);
			// The store looked up the ranks of `quantileRanks` at another q or alpha: a bug.
			if (value === undefined) throw new RangeError(`rank ${rank} of ${n} was not looked up`);
			return value;
		};
		return quantileEstimate(valueAt, n, quantile, settings.alpha);
	}

	if (stats.type === 'moments') {
		const { n, sum, sumSquares } = stats;
		if (n === 0) return result(0, null, null, ['empty_phase']);
		if (!finite(sum, sumSquares)) return result(n, null, null, ['numeric_overflow']);
		const mean = sum / n;
		if (kind === 'proportion') {
			if (sum < 0 || sum > n) return result(n, null, null, ['inconsistent_statistics']);
			if (n === 1) return result(n, mean, null, ['too_few_cases']);
			// A proportion's per-case variance is p(1 − p) (Bernoulli), whatever the merge order.
			return result(n, mean, (mean * (1 - mean)) / n, []);
		}
		if (n === 1) return result(n, mean, null, ['too_few_cases']);
		const variance = sampleVariance(n, sum, sumSquares, tol);
		if (variance === 'negative') return result(n, mean, null, ['inconsistent_statistics']);
		return result(n, mean, variance / n, []);
	}

	const { n, sumX, sumY, sumX2, sumY2, sumXY } = stats;
	if (n === 0) return result(0, null, null, ['empty_phase']);
	if (!finite(sumX, sumY, sumX2, sumY2, sumXY)) return result(n, null, null, ['numeric_overflow']);
	if (sumY === 0) return result(n, null, null, ['zero_denominator']);
	const value = sumX / sumY;
	if (n === 1) return result(n, value, null, ['too_few_cases']);
	const mx = sumX / n;
	const my = sumY / n;
	const vx = (sumX2 - (sumX * sumX) / n) / (n - 1);
	const vy = (sumY2 - (sumY * sumY) / n) / (n - 1);
	const cov = (sumXY - (sumX * sumY) / n) / (n - 1);
	// Delta method for a ratio of means over events as units (gbstats `RatioStatistic`):
	// Var(x̄/ȳ) ≈ [Var x / ȳ² − 2·Cov(x,y)·x̄/ȳ³ + Var y·x̄²/ȳ⁴] / n.
	const perCase = vx / my ** 2 - (2 * cov * mx) / my ** 3 + (vy * mx ** 2) / my ** 4;
	const scale = Math.max(Math.abs(vx / my ** 2), Math.abs((vy * mx ** 2) / my ** 4));
	if (Math.abs(perCase) <= tol * Math.max(scale, value * value)) return result(n, value, 0, []);
	if (perCase < 0) return result(n, value, null, ['inconsistent_statistics']);
	return result(n, value, perCase / n, []);
}
