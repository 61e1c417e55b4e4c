import { normalQuantile } from './distributions';

/**
 * The k-th smallest of n values, for a 1-based integer rank k in [1, n]. The estimates below
 * read a handful of order statistics and nothing else, so they run alike on a sorted array
 * (the CLI, tests) and on a few values a database looked up by rank (the app).
 */
export type RankLookup = (rank: number) => number;

/** Order statistics of a sorted, non-empty array. */
export const sortedLookup =
	(sorted: ArrayLike<number>): RankLookup =>
	(rank) =>
		sorted[rank - 1];

/** The 1-based ranks that type-7 interpolates between: h = (n − 1)·q. */
function type7Ranks(n: number, q: number): { h: number; lo: number; hi: number } {
	const h = (n - 1) * q;
	const lo = Math.floor(h);
	return { h, lo: lo + 1, hi: Math.min(lo + 1, n - 1) + 1 };
}

/** Type-7 sample quantile from a rank lookup over n ≥ 1 values (see `quantileType7`). */
export function quantileAt(valueAt: RankLookup, n: number, q: number): number {
	const { h, lo, hi } = type7Ranks(n, q);
	const low = valueAt(lo);
	return low + (h - (lo - 1)) * (valueAt(hi) - low);
}

/**
 * Type-7 sample quantile (R's default, numpy's `linear`): h = (n − 1)·q, interpolating between
 * the order statistics around h. `sorted` must be ascending and non-empty.
 */
export function quantileType7(sorted: readonly number[], q: number): number {
	return quantileAt(sortedLookup(sorted), sorted.length, q);
}

/**
 * 1-based (fractional) ranks of the order statistics that bracket the q-quantile with
 * confidence about 1 − alpha: the number of values below the true quantile is Binomial(n, q),
 * so the ranks are nq ∓ z·√(nq(1−q)) (normal approximation to the binomial; distribution-free,
 * e.g. Conover, Practical Nonparametric Statistics, §3.2). Ranks are kept fractional and read
 * by interpolation: rounding them outward makes the interval conservative (97–98% coverage at
 * n = 100 in our simulation). `null` when n is too small for both ranks to exist.
 */
export function orderStatisticRanks(
	n: number,
	q: number,
	alpha: number
): { readonly lower: number; readonly upper: number } | null {
	const z = normalQuantile(1 - alpha / 2);
	const centre = n * q;
	const spread = z * Math.sqrt(n * q * (1 - q));
	const lower = centre - spread;
	const upper = centre + spread;
	if (lower < 1 || upper > n) return null;
	return { lower, upper };
}

/** The integer ranks a fractional 1-based rank interpolates between. */
function neighbours(rank: number, n: number): { lo: number; hi: number } {
	return { lo: Math.floor(rank), hi: Math.min(Math.ceil(rank), n) };
}

/** The value at a fractional 1-based rank, interpolating between neighbouring order statistics. */
function atRank(valueAt: RankLookup, n: number, rank: number): number {
	const { lo, hi } = neighbours(rank, n);
	const low = valueAt(lo);
	return low + (rank - lo) * (valueAt(hi) - low);
}

/**
 * Standard error of a sample quantile from the width of its order-statistic interval:
 * se ≈ (x₍ᵤ₎ − x₍ₗ₎) / (2z). This is the sectioning estimate gbstats uses for its quantile
 * metrics; it needs no density estimate. The difference of two phases then goes through the
 * same Welch machinery as means (coverage checked by simulation in `quantile.test.ts`).
 */
export function quantileStandardErrorAt(
	valueAt: RankLookup,
	n: number,
	q: number,
	alpha: number
): number | null {
	const ranks = orderStatisticRanks(n, q, alpha);
	if (ranks === null) return null;
	const z = normalQuantile(1 - alpha / 2);
	return (atRank(valueAt, n, ranks.upper) - atRank(valueAt, n, ranks.lower)) / (2 * z);
}

/** `quantileStandardErrorAt` over a sorted array. */
export function quantileStandardError(
	sorted: readonly number[],
	q: number,
	alpha: number
): number | null {
	return quantileStandardErrorAt(sortedLookup(sorted), sorted.length, q, alpha);
}

/**
 * Every integer rank (1-based, ascending, at most six) that the q-quantile of n values and its
 * standard error at `alpha` read: what a store has to look up to answer a quantile metric
 * without handing over all its values.
 */
export function quantileRanks(n: number, q: number, alpha: number): number[] {
	if (n < 1) return [];
	const { lo, hi } = type7Ranks(n, q);
	const ranks = new Set([lo, hi]);
	const interval = n > 1 ? orderStatisticRanks(n, q, alpha) : null;
	if (interval !== null) {
		for (const rank of [interval.lower, interval.upper]) {
			const around = neighbours(rank, n);
			ranks.add(around.lo).add(around.hi);
		}
	}
	return [...ranks].sort((a, b) => a - b);
}
