/**
 * Sufficient statistics per phase, the immutable inputs of every comparison (after gbstats'
 * `SampleMeanStatistic` / `RatioStatistic`). Sums add exactly, so per-day rows stored by the
 * app merge into the same numbers as all values at once.
 */

/** Mean and proportion metrics: n, Σx, Σx². */
export interface MomentStats {
	readonly type: 'moments';
	readonly n: number;
	readonly sum: number;
	readonly sumSquares: number;
}

/** Ratio metrics over events that carry both measures: x = numerator, y = denominator. */
export interface RatioStats {
	readonly type: 'ratio';
	readonly n: number;
	readonly sumX: number;
	readonly sumY: number;
	readonly sumX2: number;
	readonly sumY2: number;
	readonly sumXY: number;
}

/** Quantile metrics need the values themselves (any order). */
export interface ValueStats {
	readonly type: 'values';
	readonly values: readonly number[];
}

/**
 * Quantile metrics answered by a store that keeps its values ordered: n, and the value at each
 * rank `quantileRanks(n, q, alpha)` names (1-based rank → value). A report then costs the same
 * for a thousand values as for millions; the estimates are those of all the values.
 */
export interface OrderStats {
	readonly type: 'order';
	readonly n: number;
	readonly ranks: ReadonlyMap<number, number>;
}

export type PhaseStats = MomentStats | RatioStats | ValueStats | OrderStats;

export function emptyMoments(): MomentStats {
	return { type: 'moments', n: 0, sum: 0, sumSquares: 0 };
}

export function momentsOf(values: readonly number[]): MomentStats {
	let sum = 0;
	let sumSquares = 0;
	for (const x of values) {
		sum += x;
		sumSquares += x * x;
	}
	return { type: 'moments', n: values.length, sum, sumSquares };
}

export function emptyRatio(): RatioStats {
	return { type: 'ratio', n: 0, sumX: 0, sumY: 0, sumX2: 0, sumY2: 0, sumXY: 0 };
}

export function ratioOf(pairs: readonly (readonly [number, number])[]): RatioStats {
	let sumX = 0;
	let sumY = 0;
	let sumX2 = 0;
	let sumY2 = 0;
	let sumXY = 0;
	for (const [x, y] of pairs) {
		sumX += x;
		sumY += y;
		sumX2 += x * x;
		sumY2 += y * y;
		sumXY += x * y;
	}
	return { type: 'ratio', n: pairs.length, sumX, sumY, sumX2, sumY2, sumXY };
}

export function valuesOf(values: readonly number[]): ValueStats {
	return { type: 'values', values: [...values] };
}

export function statsCount(stats: PhaseStats): number {
	return stats.type === 'values' ? stats.values.length : stats.n;
}

/** Adds statistics of the same type; throws when types differ (a programming error). */
export function mergeStats<T extends PhaseStats>(a: T, b: T): T;
export function mergeStats(a: PhaseStats, b: PhaseStats): PhaseStats {
	if (a.type === 'moments' && b.type === 'moments') {
		return {
			type: 'moments',
			n: a.n + b.n,
			sum: a.sum + b.sum,
			sumSquares: a.sumSquares + b.sumSquares
		};
	}
	if (a.type === 'ratio' && b.type === 'ratio') {
		return {
			type: 'ratio',
			n: a.n + b.n,
			sumX: a.sumX + b.sumX,
			sumY: a.sumY + b.sumY,
			sumX2: a.sumX2 + b.sumX2,
			sumY2: a.sumY2 + b.sumY2,
			sumXY: a.sumXY + b.sumXY
		};
	}
	if (a.type === 'values' && b.type === 'values') {
		return { type: 'values', values: [...a.values, ...b.values] };
	}
	// Order statistics of two groups say nothing of the order statistics of their union.
	throw new TypeError(`cannot merge ${a.type} statistics with ${b.type} statistics`);
}

export function mergeAll<T extends PhaseStats>(parts: readonly T[]): T | null {
	if (parts.length === 0) return null;
	// Values are joined once: pairwise merging would copy the growing array at every step.
	const all: readonly PhaseStats[] = parts;
	if (all.every((p): p is ValueStats => p.type === 'values')) {
		const merged: PhaseStats = { type: 'values', values: all.flatMap((p) => p.values) };
		return merged as T;
	}
	return parts.reduce((acc, part) => mergeStats(acc, part));
}

/** A baseline entered by hand instead of events (docs/api.md "Baseline summaries"). */
export type BaselineSummary =
	| { readonly n: number; readonly mean: number; readonly sd: number; readonly source?: string }
	| { readonly n: number; readonly successes: number; readonly source?: string };

/**
 * Converts a summary into moments: Σx = n·mean and Σx² = (n − 1)·sd² + n·mean², which gives
 * back exactly the entered mean and sample standard deviation.
 */
export function momentsFromSummary(summary: BaselineSummary): MomentStats {
	if ('successes' in summary) {
		return { type: 'moments', n: summary.n, sum: summary.successes, sumSquares: summary.successes };
	}
	const { n, mean, sd } = summary;
	return {
		type: 'moments',
		n,
		sum: n * mean,
		sumSquares: Math.max(0, n - 1) * sd * sd + n * mean * mean
	};
}
