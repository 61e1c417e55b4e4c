/**
 * Machine-readable codes for numbers that cannot be computed (gbstats reports such cases as
 * error codes rather than NaN). Clients receive the code; pages show the words.
 */
export const REASON_TEXT = {
	empty_phase: 'a phase has no cases',
	too_few_cases: 'a phase has a single case, so its variance is unknown',
	below_min_samples: 'a phase has fewer cases than the plan’s minimum',
	zero_variance: 'every case has the same value in both phases, so no interval can be computed',
	zero_baseline: 'the baseline value is 0, so a relative change cannot be computed',
	zero_denominator: 'the denominator adds up to 0 in a phase, so the ratio has no value',
	inconsistent_statistics: 'the summary statistics contradict each other (negative variance)',
	numeric_overflow: 'the values are too large to compute with',
	quantile_ci_needs_more_cases: 'too few cases to bracket this quantile with order statistics',
	no_baseline: 'no baseline for this metric',
	quantile_awaits_planned_cases:
		'a quantile is judged on its fixed-horizon interval, once the pilot’s planned cases are in',
	target_not_computable: 'the change cannot be put on the target’s scale',
	target_unreachable_with_baseline:
		'the baseline is too small to detect the target, however long the pilot runs'
} as const;

export type ReasonCode = keyof typeof REASON_TEXT;

export function describeReason(code: ReasonCode): string {
	return REASON_TEXT[code];
}

/** Adds codes once each, keeping their order of first appearance. */
export function mergeReasons(...lists: readonly (readonly ReasonCode[])[]): ReasonCode[] {
	return [...new Set(lists.flat())];
}
