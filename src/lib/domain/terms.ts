// The product's vocabulary as constant lists. The zod schemas, the drizzle schema, the forms and
// the metrics core all take their types from here, so a new kind or role is added in one place.
// Pure data: the metrics core and browser code may import it.

/** When a case happened relative to the pilot: before it (the baseline) or during it. */
export const phases = ['baseline', 'pilot'] as const;
export type Phase = (typeof phases)[number];

/** Who worked the case: with the AI, or a control group working as before. */
export const cohorts = ['ai', 'control'] as const;
export type Cohort = (typeof cohorts)[number];

/** How a metric summarises its cases. */
export const metricKinds = ['mean', 'proportion', 'ratio', 'quantile'] as const;
export type MetricKind = (typeof metricKinds)[number];

/** What a metric is for in the decision: the ROI indicator, context, or a must-not-worsen. */
export const metricRoles = ['primary', 'secondary', 'guardrail'] as const;
export type MetricRole = (typeof metricRoles)[number];

/** Which way is better for a metric. */
export const directions = ['increase', 'decrease'] as const;
export type Direction = (typeof directions)[number];

/** The measures an event needs for a metric to count it (a ratio needs both of its sums). */
export function metricMeasures(metric: {
	kind: MetricKind;
	measure?: string;
	numerator?: string;
	denominator?: string;
}): string[] {
	return metric.kind === 'ratio'
		? [metric.numerator ?? '', metric.denominator ?? ''].filter((m) => m !== '')
		: metric.measure === undefined
			? []
			: [metric.measure];
}
