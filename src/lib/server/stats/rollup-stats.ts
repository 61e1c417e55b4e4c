import type { MetricKind, PhaseStats } from '$lib/metrics';

/** The sums every rollup table stores (x = the measure or a ratio's numerator, y = its denominator). */
export interface RollupSums {
	n: number;
	sum_x: number;
	sum_x2: number;
	sum_y: number;
	sum_y2: number;
	sum_xy: number;
}

/** A rollup row as the metrics core's sufficient statistics: a ratio's, or moments. */
export function statsOfSums(
	kind: Exclude<MetricKind, 'quantile'>,
	r: RollupSums
): Extract<PhaseStats, { type: 'moments' | 'ratio' }> {
	return kind === 'ratio'
		? {
				type: 'ratio',
				n: r.n,
				sumX: r.sum_x,
				sumY: r.sum_y,
				sumX2: r.sum_x2,
				sumY2: r.sum_y2,
				sumXY: r.sum_xy
			}
		: { type: 'moments', n: r.n, sum: r.sum_x, sumSquares: r.sum_x2 };
}
