import type { Cohort, Phase } from '../../domain/terms';

// One group of a quantile metric's values as its three tables key it (`quantile_values`,
// `quantile_buckets`, `quantile_ranges`), and the bucket row: what the writes of the buckets
// (quantile-buckets.ts), their ranges (quantile-ranges.ts) and the reads by rank
// (quantile-ranks.ts) agree on.

/** Values per bucket above which it is cut (into buckets of about half as many). */
export const BUCKET_MAX = 1024;

/** One quantile metric's values in one phase and cohort. */
export interface QuantileGroup {
	readonly metricKey: string;
	readonly phase: Phase;
	readonly cohort: Cohort;
}

/** pilot id, metric key, phase, cohort. */
export type GroupKey = readonly [number, string, string, string];

export const groupKey = (pilotId: number, group: QuantileGroup): GroupKey => [
	pilotId,
	group.metricKey,
	group.phase,
	group.cohort
];

/** The condition on one group's rows in any of the three tables; its parameters: a `GroupKey`. */
export const GROUP = 'pilot_id = ? AND metric_key = ? AND phase = ? AND cohort = ?';

/** A bucket: the values from `lo` up to the next bucket's lo, their count and their bounds. */
export interface Bucket {
	lo: number;
	n: number;
	min_value: number;
	max_value: number;
}
