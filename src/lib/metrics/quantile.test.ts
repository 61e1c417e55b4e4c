import { describe, expect, it } from 'vitest';
import { compare } from './compare';
import { estimatePhase } from './phase-estimate';
import {
	orderStatisticRanks,
	quantileRanks,
	quantileStandardError,
	quantileType7
} from './quantile';
import { seededRandom, type Random } from './random';
import { resolveSettings } from './settings';
import { valuesOf, type OrderStats } from './sufficient-stats';

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

describe('quantileType7', () => {
	// numpy 2.4.6 np.quantile (default method "linear" = R type 7).
	it.each<[number[], number, number]>([
		[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
		[[3, 1, 4, 1, 5, 9, 2, 6], 0.25, 1.75],
		[[30, 42, 55, 38, 61, 47, 33, 70, 52, 44, 39, 58], 0.9, 60.7],
		[[2.5], 0.9, 2.5],
		[[7, 1], 0.5, 4]
	])('%j at %d is %d', (values, q, expected) => {
		expect(quantileType7(sorted(values), q)).toBeCloseTo(expected, 12);
	});
});

describe('orderStatisticRanks', () => {
	it('needs enough cases on both sides of the quantile', () => {
		expect(orderStatisticRanks(10, 0.9, 0.05)).toBeNull();
		const ranks = orderStatisticRanks(200, 0.9, 0.05)!;
		// 180 ∓ 1.959964·√18
		expect(ranks.lower).toBeCloseTo(180 - 1.959964 * Math.sqrt(18), 5);
		expect(ranks.upper).toBeCloseTo(180 + 1.959964 * Math.sqrt(18), 5);
	});
});

/*
 * Golden vector for a median comparison, computed independently from the README's definitions
 * (numpy 2.4.6, scipy 1.17.1), not from this code:
 *
 *   import numpy as np
 *   from scipy import stats
 *
 *   def phase(values, q, alpha=0.05):
 *       x = np.sort(np.asarray(values, dtype=float))
 *       n = len(x)
 *       value = np.quantile(x, q, method="linear")           # type 7
 *       z = stats.norm.ppf(1 - alpha / 2)
 *       half = z * np.sqrt(n * q * (1 - q))
 *       lo, hi = n * q - half, n * q + half                   # 1-based ranks
 *       assert 1 <= lo and hi <= n
 *       ranks = np.arange(1, n + 1)                           # x_(1) .. x_(n)
 *       se = (np.interp(hi, ranks, x) - np.interp(lo, ranks, x)) / (2 * z)
 *       return n, value, se
 *
 *   def change(estimate, se, df, alpha=0.05):
 *       t = stats.t.ppf(1 - alpha / 2, df)
 *       return estimate, (estimate - t * se, estimate + t * se), \
 *           2 * stats.t.sf(abs(estimate / se), df), se
 *
 *   nb, vb, sb = phase(baseline, 0.5); np_, vp, sp = phase(pilot, 0.5)
 *   df = (sb**2 + sp**2) ** 2 / (sb**4 / (nb - 1) + sp**4 / (np_ - 1))
 *   change(vp - vb, np.sqrt(sb**2 + sp**2), df)
 *   change((vp - vb) / abs(vb), np.sqrt(sp**2 / vb**2 + sb**2 * vp**2 / vb**4), df)
 */
describe('golden values: median change of two small samples (numpy/scipy reference)', () => {
	const baseline = [14.2, 9.8, 21.5, 11.0, 17.3, 8.4, 25.9, 12.6, 15.1, 10.7, 19.4, 13.3];
	const pilot = [9.1, 12.4, 7.6, 15.8, 10.2, 6.9, 11.7, 18.3, 8.8, 13.5];
	const result = compare(valuesOf(baseline), valuesOf(pilot), { kind: 'quantile', quantile: 0.5 });
	const close = (actual: number | null | undefined, expected: number): void => {
		expect(actual).not.toBeNull();
		expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(
			1e-9 * Math.max(1, Math.abs(expected))
		);
	};
	/** A change's estimate, interval, p-value, standard error and df, each within 1e-9. */
	const closeChange = (change: typeof result.absoluteChange, expected: number[]): void => {
		const [estimate, lo, hi, pValue, standardError, df] = expected;
		close(change?.estimate, estimate);
		close(change?.ci95?.[0], lo);
		close(change?.ci95?.[1], hi);
		close(change?.pValue, pValue);
		close(change?.standardError, standardError);
		close(change?.df, df);
	};

	it('each phase: type-7 median and order-statistic standard error', () => {
		expect(result.baseline).toEqual({ n: 12, value: 13.75 });
		expect(result.pilot).toEqual({ n: 10, value: 10.95 });
		const se = (values: number[]): number | null =>
			quantileStandardError(sorted(values), 0.5, 0.05);
		close(se(baseline), 1.985820063043731);
		close(se(pilot), 1.5808773868930717);
	});

	it('absolute change: estimate, interval, p-value, standard error, Welch df', () => {
		closeChange(
			result.absoluteChange,
			[
				-2.8000000000000007, -8.099964669950852, 2.4999646699508506, 0.2832702170109502,
				2.538238490602661, 19.69325410803019
			]
		);
	});

	it('relative change: delta-method interval on the same df', () => {
		closeChange(
			result.relativeChange,
			[
				-0.2036363636363637, -0.5432050334148153, 0.13593230614208793, 0.22517054307510992,
				0.16262490818498293, 19.69325410803019
			]
		);
	});
});

/**
 * Coverage of the reported 95% interval for the change in a quantile: simulate many pilots
 * whose true quantiles are known, and count how often the interval contains the true change.
 */
function coverage(
	pilots: number,
	n: number,
	q: number,
	draw: (random: Random, scale: number) => number,
	trueQuantile: (scale: number) => number,
	seed: number
): number {
	const random = seededRandom(seed);
	const truth = trueQuantile(8) - trueQuantile(10);
	let covered = 0;
	for (let i = 0; i < pilots; i++) {
		const baseline = Array.from({ length: n }, () => draw(random, 10));
		const pilot = Array.from({ length: n }, () => draw(random, 8));
		const ci = compare(valuesOf(baseline), valuesOf(pilot), { kind: 'quantile', quantile: q })
			.absoluteChange?.ci95;
		if (ci && ci[0] <= truth && truth <= ci[1]) covered += 1;
	}
	return covered / pilots;
}

describe('quantile interval coverage (simulation, seeded)', () => {
	// The p90 of an exponential with mean m is m·ln 10; a normal's is m + σ·1.2815515655446004.
	it.each<[string, number, (r: Random, m: number) => number, (m: number) => number, number]>([
		[
			'exponential handling times, p90',
			0.9,
			(r, m) => r.exponential(m),
			(m) => m * Math.log(10),
			11
		],
		['exponential, median', 0.5, (r, m) => r.exponential(m), (m) => m * Math.log(2), 12],
		['normal, p90', 0.9, (r, m) => m + 3 * r.normal(), (m) => m + 3 * 1.2815515655446004, 13]
	])(
		'%s: 1,000 pilots of 200 + 200 cases cover the true change 93.5–96.5%',
		(_n, q, draw, truth, seed) => {
			const rate = coverage(1000, 200, q, draw, truth, seed);
			expect(rate).toBeGreaterThanOrEqual(0.935);
			expect(rate).toBeLessThanOrEqual(0.965);
		}
	);
});

describe('quantileRanks', () => {
	const settings = resolveSettings();

	/** The order statistics a store would hand over: the values at `quantileRanks` only. */
	function orderStats(values: number[], q: number): OrderStats {
		const s = sorted(values);
		const ranks = quantileRanks(s.length, q, settings.alpha);
		return { type: 'order', n: s.length, ranks: new Map(ranks.map((r) => [r, s[r - 1]])) };
	}

	it('names at most six ranks, all within 1..n', () => {
		for (const n of [1, 2, 3, 10, 57, 200, 10_001]) {
			for (const q of [0.01, 0.1, 0.5, 0.9, 0.99]) {
				const ranks = quantileRanks(n, q, 0.05);
				expect(ranks.length).toBeGreaterThan(0);
				expect(ranks.length).toBeLessThanOrEqual(6);
				expect(ranks.every((r) => Number.isInteger(r) && r >= 1 && r <= n)).toBe(true);
			}
		}
		expect(quantileRanks(0, 0.5, 0.05)).toEqual([]);
	});

	it('gives the estimate of all the values from those ranks alone', () => {
		const random: Random = seededRandom(17);
		for (const n of [1, 2, 3, 9, 10, 30, 101, 1000]) {
			for (const q of [0.1, 0.5, 0.9, 0.99]) {
				// Whole numbers: ties, as whole minutes give; and continuous values.
				const ties = Array.from({ length: n }, () => Math.round(random.exponential(5)));
				const spread = Array.from({ length: n }, () => random.exponential(30) - 3);
				for (const values of [ties, spread]) {
					expect(estimatePhase(orderStats(values, q), 'quantile', settings, q)).toEqual(
						estimatePhase(valuesOf(values), 'quantile', settings, q)
					);
				}
			}
		}
	});

	it('treats a rank that was not looked up as a bug', () => {
		const stats: OrderStats = { type: 'order', n: 100, ranks: new Map([[50, 1]]) };
		expect(() => estimatePhase(stats, 'quantile', settings, 0.5)).toThrow(RangeError);
	});
});
