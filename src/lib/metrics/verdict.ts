import type { Comparison } from './compare';
import type { Change } from './welch';
import type { ReasonCode } from './reasons';

export type Direction = 'increase' | 'decrease';
export type Verdict = 'improved' | 'worsened' | 'no_detectable_change' | 'insufficient_data';
export type GuardrailStatus = 'holds' | 'breached' | 'unclear';

/** A size on the absolute (metric units) or relative (share of baseline) scale. */
export type Scaled = { readonly relative: number } | { readonly absolute: number };

export interface VerdictResult {
	readonly verdict: Verdict;
	readonly reasons: readonly ReasonCode[];
}

/**
 * docs/api.md: `insufficient_data` when either phase has fewer than `minSamples` cases; otherwise
 * `improved`/`worsened` when the interval of the absolute change excludes 0, else
 * `no_detectable_change`. A change whose interval cannot be computed at all (zero variance,
 * inconsistent sums) is also `insufficient_data`, with the reason attached: claiming "no
 * detectable change" there would report a test that was never run.
 */
export function decideVerdict(
	comparison: Comparison,
	direction: Direction,
	minSamples: number
): VerdictResult {
	if (comparison.baseline.n < minSamples || comparison.pilot.n < minSamples) {
		return { verdict: 'insufficient_data', reasons: ['below_min_samples'] };
	}
	const ci = comparison.absoluteChange?.ci95 ?? null;
	if (ci === null) return { verdict: 'insufficient_data', reasons: [] };
	const [lower, upper] = ci;
	if (lower > 0 || upper < 0) {
		const up = lower > 0;
		return { verdict: up === (direction === 'increase') ? 'improved' : 'worsened', reasons: [] };
	}
	return { verdict: 'no_detectable_change', reasons: [] };
}

/** Picks the change on the scale a target or tolerance is written in. */
export function changeOnScale(comparison: Comparison, scaled: Scaled): Change | null {
	return 'relative' in scaled ? comparison.relativeChange : comparison.absoluteChange;
}

export function scaledSize(scaled: Scaled): number {
	return 'relative' in scaled ? scaled.relative : scaled.absolute;
}

/**
 * With a target, `true` when the verdict is `improved`, the point estimate reaches the target
 * (targets are signed in the good direction) and the interval rules out a gain smaller than
 * `meaningfulShare` of the target — so that a noisy estimate read on a lucky day does not
 * count as reaching it; otherwise `false`. `null` without a target, and also when the metric
 * improved but the change cannot be put on the target's scale (relative target, zero baseline)
 * — then the reason says so.
 */
export function meetsTarget(
	comparison: Comparison,
	verdict: Verdict,
	direction: Direction,
	target: Scaled | undefined,
	meaningfulShare = 0
): { readonly meetsTarget: boolean | null; readonly reasons: readonly ReasonCode[] } {
	if (target === undefined) return { meetsTarget: null, reasons: [] };
	if (verdict !== 'improved') return { meetsTarget: false, reasons: [] };
	const change = changeOnScale(comparison, target);
	if (change === null) return { meetsTarget: null, reasons: ['target_not_computable'] };
	return {
		meetsTarget: reachesTarget(change, direction, scaledSize(target), meaningfulShare),
		reasons: []
	};
}

/**
 * `meetsTarget`'s test of one change on the target's scale: the estimate reaches `goal` and the
 * interval's far end rules out a gain smaller than `meaningfulShare` of it.
 */
export function reachesTarget(
	change: { readonly estimate: number; readonly ci95: readonly [number, number] | null },
	direction: Direction,
	goal: number,
	meaningfulShare: number
): boolean {
	const floor = goal * meaningfulShare;
	const ci = change.ci95;
	return direction === 'decrease'
		? change.estimate <= goal && (ci === null || ci[1] <= floor)
		: change.estimate >= goal && (ci === null || ci[0] >= floor);
}

/**
 * docs/api.md guardrails. `tolerance` is the largest accepted worsening, as a positive size.
 * `holds`: the interval rules out a worsening larger than the tolerance; `breached`: the verdict
 * is `worsened` and the point estimate is worse than the tolerance; `unclear` otherwise —
 * including when the metric is `insufficient_data`, whose interval is not yet trusted.
 */
export function guardrailStatus(
	comparison: Comparison,
	verdict: Verdict,
	direction: Direction,
	tolerance: Scaled
): GuardrailStatus {
	if (verdict === 'insufficient_data') return 'unclear';
	const change = changeOnScale(comparison, tolerance);
	if (change === null) return 'unclear';
	const size = Math.abs(scaledSize(tolerance));
	// Worsening in the metric's bad direction, as a positive number.
	const worsening = (x: number): number => (direction === 'decrease' ? x : -x);
	if (verdict === 'worsened' && worsening(change.estimate) > size) return 'breached';
	if (change.ci95 !== null) {
		const worst = Math.max(worsening(change.ci95[0]), worsening(change.ci95[1]));
		if (worst <= size) return 'holds';
	}
	return 'unclear';
}
