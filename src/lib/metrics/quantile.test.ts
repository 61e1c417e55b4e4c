import { describe, expect, it } from 'vitest';
import { compare } from './compare';
import { orderStatisticRanks, quantileType7 } from './quantile';
import { seededRandom, type Random } from './random';
import { valuesOf } from './sufficient-stats';

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
