import { normalQuantile } from './distributions';

/**
 * Type-7 sample quantile (R's default, numpy's `linear`): h = (n − 1)·q, interpolating between
 * the order statistics around h. `sorted` must be ascending and non-empty.
 */
export function quantileType7(sorted: readonly number[], q: number): number {
	const h = (sorted.length - 1) * q;
	const lo = Math.floor(h);
	const hi = Math.min(lo + 1, sorted.length - 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * 1-based ranks (l, u) of the order statistics that bracket the q-quantile with confidence
 * about 1 − alpha: the number of values below the true quantile is Binomial(n, q), so
 * l = ⌊nq − z·√(nq(1−q))⌋ and u = ⌈nq + z·√(nq(1−q))⌉ (normal approximation to the binomial;
 * distribution-free, e.g. Conover, Practical Nonparametric Statistics, §3.2).
 * `null` when n is too small for both ranks to exist.
 */
export function orderStatisticRanks(
	n: number,
	q: number,
	alpha: number
): { readonly lower: number; readonly upper: number } | null {
	const z = normalQuantile(1 - alpha / 2);
	const centre = n * q;
	const spread = z * Math.sqrt(n * q * (1 - q));
	const lower = Math.floor(centre - spread);
	const upper = Math.ceil(centre + spread);
	if (lower < 1 || upper > n) return null;
	return { lower, upper };
}

/**
 * Standard error of a sample quantile from the width of its order-statistic interval:
 * se ≈ (x₍ᵤ₎ − x₍ₗ₎) / (2z). This is the sectioning estimate gbstats uses for its quantile
 * metrics; it needs no density estimate. The difference of two phases then goes through the
 * same Welch machinery as means (coverage checked by simulation in `quantile.test.ts`).
 */
export function quantileStandardError(
	sorted: readonly number[],
	q: number,
	alpha: number
): number | null {
	const ranks = orderStatisticRanks(sorted.length, q, alpha);
	if (ranks === null) return null;
	const z = normalQuantile(1 - alpha / 2);
	return (sorted[ranks.upper - 1] - sorted[ranks.lower - 1]) / (2 * z);
}
