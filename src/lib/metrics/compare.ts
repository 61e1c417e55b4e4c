import type { PhaseStats } from './sufficient-stats';
import type { AnalysisSettings } from './settings';
import type { MetricKind, PhaseEstimate } from './phase-estimate';
import type { Change } from './welch';
import { estimatePhase } from './phase-estimate';
import { mergeReasons, type ReasonCode } from './reasons';
import { DEFAULT_SETTINGS } from './settings';
import { tInterval, welchDf } from './welch';

/** What `compare` needs to know about a metric. */
export interface ComparedMetric {
	readonly kind: MetricKind;
	/** For quantile metrics, the quantile in (0, 1). */
	readonly quantile?: number;
}

export interface PhaseValue {
	readonly n: number;
	readonly value: number | null;
}

export interface Comparison {
	readonly baseline: PhaseValue;
	readonly pilot: PhaseValue;
	/** value(P) − value(B), Welch's t interval and two-sided p-value. */
	readonly absoluteChange: Change | null;
	/** (value(P) − value(B)) / |value(B)|, delta-method interval on the same df. */
	readonly relativeChange: Change | null;
	readonly reasons: readonly ReasonCode[];
}

/**
 * Compares a pilot phase with the baseline: absolute change by Welch's unequal-variance t-test
 * with Welch–Satterthwaite df; relative change by the delta method,
 * Var = Var(P̄)/B̄² + Var(B̄)·P̄²/B̄⁴ (as gbstats' `frequentist_variance_relative`), same df.
 */
export function compare(
	baseline: PhaseStats | null,
	pilot: PhaseStats | null,
	metric: ComparedMetric,
	settings: AnalysisSettings = DEFAULT_SETTINGS
): Comparison {
	const b = estimatePhase(baseline, metric.kind, settings, metric.quantile);
	const p = estimatePhase(pilot, metric.kind, settings, metric.quantile);
	return compareEstimates(b, p, settings);
}

export function compareEstimates(
	b: PhaseEstimate,
	p: PhaseEstimate,
	settings: AnalysisSettings = DEFAULT_SETTINGS
): Comparison {
	const reasons: ReasonCode[] = mergeReasons(b.reasons, p.reasons);
	const phases = { baseline: { n: b.n, value: b.value }, pilot: { n: p.n, value: p.value } };
	if (b.value === null || p.value === null) {
		return { ...phases, absoluteChange: null, relativeChange: null, reasons };
	}

	const estimate = p.value - b.value;
	let se: number | null = null;
	let df: number | null = null;
	if (b.valueVariance !== null && p.valueVariance !== null) {
		const variance = b.valueVariance + p.valueVariance;
		if (variance > 0) {
			se = Math.sqrt(variance);
			df = welchDf([
				{ variance: b.valueVariance, n: b.n },
				{ variance: p.valueVariance, n: p.n }
			]);
		} else {
			se = 0;
			reasons.push('zero_variance');
		}
	}
	const absoluteChange = finiteChange(tInterval(estimate, se, df, settings.alpha));
	if (absoluteChange === null) reasons.push('numeric_overflow');

	let relativeChange: Change | null = null;
	if (b.value === 0) {
		reasons.push('zero_baseline');
	} else {
		// Divided by |B̄| (gbstats' convention): the relative change keeps the sign of the
		// absolute change, so "lower" stays negative even for a negative baseline. For the
		// positive baselines of real metrics this is docs/api.md's absolute / value(B).
		const relative = estimate / Math.abs(b.value);
		let relSe: number | null = null;
		if (se !== null && se > 0 && b.valueVariance !== null && p.valueVariance !== null) {
			const b2 = b.value * b.value;
			relSe = Math.sqrt(p.valueVariance / b2 + (b.valueVariance * p.value * p.value) / (b2 * b2));
		} else if (se === 0) {
			relSe = 0;
		}
		relativeChange = finiteChange(tInterval(relative, relSe, df, settings.alpha));
		if (relativeChange === null) reasons.push('numeric_overflow');
	}
	return { ...phases, absoluteChange, relativeChange, reasons: mergeReasons(reasons) };
}

/** Drops a change whose point estimate overflowed; parts already guard themselves. */
function finiteChange(change: Change): Change | null {
	if (!Number.isFinite(change.estimate)) return null;
	if (change.standardError !== null && !Number.isFinite(change.standardError)) {
		return { ...change, standardError: null, ci95: null, pValue: null };
	}
	return change;
}
