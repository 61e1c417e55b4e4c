import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalQuantileFn from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Two-sided p-value of a t statistic: 2·F(−|t|; df). Taking the lower tail directly (instead of
 * 1 − F(|t|)) keeps p-values like 1e-40 exact instead of collapsing them to 0.
 */
export function twoSidedPValue(t: number, df: number): number {
	return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** The (1 − alpha/2) quantile of Student's t with `df` degrees of freedom. */
export function tCritical(alpha: number, df: number): number {
	return tQuantile(1 - alpha / 2, df);
}

/** Standard normal quantile. */
export function normalQuantile(p: number): number {
	return normalQuantileFn(p, 0, 1);
}
