import { describe, expect, it } from 'vitest';
import { compare } from './compare';
import { tCritical, twoSidedPValue } from './distributions';
import { momentsOf, type MomentStats, type RatioStats } from './sufficient-stats';
import type { Change } from './welch';

const moments = (n: number, sum: number, sumSquares: number): MomentStats => ({
	type: 'moments',
	n,
	sum,
	sumSquares
});
const proportion = (n: number, sum: number): MomentStats => moments(n, sum, sum);
const ratio = (
	n: number,
	numerator: [sum: number, sumSquares: number],
	denominator: [sum: number, sumSquares: number],
	sumXY: number
): RatioStats => ({
	type: 'ratio',
	n,
	sumX: numerator[0],
	sumX2: numerator[1],
	sumY: denominator[0],
	sumY2: denominator[1],
	sumXY
});

/** p-value of the change's own t statistic (what gbstats reports in relative mode). */
const ownP = (change: Change): number =>
	twoSidedPValue(change.estimate / change.standardError!, change.df!);
const round = (x: number, decimals: number): number => Number(x.toFixed(decimals));

// GrowthBook gbstats frequentist test vectors, growthbook/growthbook commit 8f1db44,
// packages/stats/tests/frequentist/test_tests.py and tests/test_gbstats.py, as transcribed in
// docs/reference/gbstats_vectors.json. GrowthBook asserts them rounded to `decimals`, so we
// compare after the same rounding. In relative mode its p-value is that of the relative
// estimate, so we check it against the relative change's own t statistic.
describe('golden values: gbstats two-sided t-test', () => {
	const twoSided = [
		{
			id: 'tt_two_sided_mean_relative',
			kind: 'mean' as const,
			relative: true,
			baseline: moments(3407, 1396.87, 52377.9767),
			pilot: moments(3461, 2422.7, 134698.29),
			expected: 0.70732,
			ci: [-0.03526, 1.44989],
			p: 0.06191,
			se: 0.37879,
			decimals: 5
		},
		{
			id: 'tt_two_sided_mean_absolute',
			kind: 'mean' as const,
			relative: false,
			baseline: moments(3407, 1396.87, 52377.9767),
			pilot: moments(3461, 2422.7, 134698.29),
			expected: 0.29,
			ci: [0.04538, 0.53462],
			p: 0.02016,
			se: 0.12478,
			decimals: 5
		},
		{
			id: 'tt_two_sided_proportion_relative',
			kind: 'proportion' as const,
			relative: true,
			baseline: proportion(28, 14),
			pilot: proportion(30, 16),
			expected: 0.06667,
			ci: [-0.47767, 0.61101],
			p: 0.80707,
			se: 0.2717,
			decimals: 5
		}
	];

	it.each(twoSided)('$id', (c) => {
		const result = compare(c.baseline, c.pilot, { kind: c.kind });
		const change = (c.relative ? result.relativeChange : result.absoluteChange)!;
		expect(round(change.estimate, c.decimals)).toBe(c.expected);
		expect(change.ci95!.map((x) => round(x, c.decimals))).toEqual(c.ci);
		expect(round(change.standardError!, c.decimals)).toBe(c.se);
		expect(round(ownP(change), c.decimals)).toBe(c.p);
		if (!c.relative) expect(round(change.pValue!, c.decimals)).toBe(c.p);
		expect(result.reasons).toEqual([]);
	});

	// gbstats tests/test_gbstats.py, frequentist pipeline, asserted to 9 decimals.
	it.each([
		{
			id: 'pipe_mean_relative',
			kind: 'mean' as const,
			baseline: moments(100, 270, 848.79),
			pilot: moments(120, 300, 869),
			expected: -0.074074074,
			p: 0.145219005,
			baselineValue: 2.7,
			pilotValue: 2.5
		},
		{
			id: 'pipe_ratio_relative',
			kind: 'ratio' as const,
			baseline: ratio(100, [270, 848.79], [510, 810], -900),
			pilot: ratio(120, [300, 869], [500, 800], -905),
			expected: 0.133333333,
			p: 0.610663339,
			baselineValue: 0.529411765,
			pilotValue: 0.6
		}
	])('$id', (c) => {
		const result = compare(c.baseline, c.pilot, { kind: c.kind });
		const change = result.relativeChange!;
		expect(round(change.estimate, 9)).toBe(c.expected);
		expect(round(ownP(change), 9)).toBe(c.p);
		expect(round(result.baseline.value!, 9)).toBe(c.baselineValue);
		expect(round(result.pilot.value!, 9)).toBe(c.pilotValue);
	});
});

// gbstats one-sided tests (TestOneSidedGreaterTTest, TestOneSidedLesserTTest), stored at full
// precision: the point estimate and standard error are shared with the two-sided test, and the
// one-sided bound est ∓ t(0.95, ν)·se checks the Welch–Satterthwaite ν to 1e-9.
describe('golden values: gbstats one-sided bounds (full precision)', () => {
	const baseline = moments(3000, 1396.87, 52377.9767);
	const pilot = moments(3461, 2422.7, 134698.29);
	it.each([
		{
			id: 'tt_one_sided_greater_mean_relative',
			relative: true,
			expected: 0.5033610858562358,
			se: 0.3334122146400735,
			lower: -0.045136675850396046,
			upper: null
		},
		{
			id: 'tt_one_sided_greater_mean_absolute',
			relative: false,
			expected: 0.23437666666666668,
			se: 0.12983081254184736,
			lower: 0.020791480063255735,
			upper: null
		},
		{
			id: 'tt_one_sided_lesser_mean_relative',
			relative: true,
			expected: 0.5033610858562358,
			se: 0.3334122146400735,
			lower: null,
			upper: 1.0518588475628676
		},
		{
			id: 'tt_one_sided_lesser_mean_absolute',
			relative: false,
			expected: 0.23437666666666668,
			se: 0.12983081254184736,
			lower: null,
			upper: 0.44796185327007765
		}
	])('$id', (c) => {
		const result = compare(baseline, pilot, { kind: 'mean' });
		const change = (c.relative ? result.relativeChange : result.absoluteChange)!;
		expect(change.estimate).toBeCloseTo(c.expected, 12);
		expect(Math.abs(change.standardError! - c.se)).toBeLessThan(1e-12);
		const oneSided = tCritical(0.1, change.df!) * change.standardError!;
		if (c.lower !== null) expect(Math.abs(change.estimate - oneSided - c.lower)).toBeLessThan(1e-9);
		if (c.upper !== null) expect(Math.abs(change.estimate + oneSided - c.upper)).toBeLessThan(1e-9);
	});

	// gbstats TestSequential*: the sequential intervals are not ours, but the fixed-horizon
	// moments (estimate and its standard error) are recorded and are the same computation.
	it('seq_two_sided_proportion_relative moments', () => {
		// Inputs exactly as in the vector: proportions 1396/3000 and 2422/3461.
		const result = compare(proportion(3000, 1396), proportion(3461, 2422), {
			kind: 'proportion'
		});
		expect(round(result.relativeChange!.estimate, 5)).toBe(0.50386);
		expect(round(result.relativeChange!.standardError!, 5)).toBe(0.03386);
	});
});

// gbstats TestFrequentistDiff and TestEffectMomentsNegativeBaseline: the relative change is
// divided by |baseline|, so it keeps the sign of the absolute change.
describe('golden values: relative change with a negative baseline', () => {
	it('moments_negative_baseline_relative', () => {
		const result = compare(moments(1000, -10000, 104000), moments(1000, -5000, 29000), {
			kind: 'mean'
		});
		expect(result.absoluteChange!.estimate).toBe(5);
		expect(result.relativeChange!.estimate).toBeCloseTo(0.5, 7);
		expect(result.relativeChange!.standardError!).toBeGreaterThan(0);
	});
});

// Independent reference: Welch's test evaluated in 50-digit arithmetic with mpmath 1.3.0
// (t-distribution via the regularized incomplete beta function, quantile by root finding) —
// the same numbers scipy.stats.ttest_ind(b, p, equal_var=False) defines.
describe('golden values: Welch t-test, mpmath reference', () => {
	it('small samples listed in full', () => {
		const b = momentsOf([12.1, 14.3, 9.8, 15.2, 11.7, 13.4]);
		const p = momentsOf([8.2, 9.9, 7.4, 10.8, 9.1]);
		const result = compare(b, p, { kind: 'mean' });
		const abs = result.absoluteChange!;
		const rel = result.relativeChange!;
		expect(result.baseline).toEqual({ n: 6, value: expect.closeTo(12.75, 12) });
		expect(abs.estimate).toBeCloseTo(-3.67, 12);
		expect(abs.df).toBeCloseTo(8.762542972292, 9);
		expect(abs.pValue).toBeCloseTo(0.005343330390442418, 12);
		expect(abs.ci95![0]).toBeCloseTo(-5.937633582135311, 9);
		expect(abs.ci95![1]).toBeCloseTo(-1.4023664178646897, 9);
		expect(rel.estimate).toBeCloseTo(-0.28784313725490196, 12);
		expect(rel.ci95![0]).toBeCloseTo(-0.4351388674117717, 9);
		expect(rel.ci95![1]).toBeCloseTo(-0.1405474070980322, 9);
	});

	it('large samples with a p-value near 1e-40 (n = 1210 vs 904)', () => {
		// Baseline mean 14.21, sd 6.1; pilot mean 10.6, sd 6.0, as sums.
		const result = compare(moments(1210, 17194.1, 289315.051), moments(904, 9582.4, 134081.44), {
			kind: 'mean'
		});
		const abs = result.absoluteChange!;
		expect(abs.estimate).toBeCloseTo(-3.61, 10);
		expect(abs.df).toBeCloseTo(1962.1708276251245, 6);
		expect(Math.abs(abs.pValue! - 2.9144329876009757e-40) / 2.9144329876009757e-40).toBeLessThan(
			1e-6
		);
		expect(abs.ci95![0]).toBeCloseTo(-4.1310048178990355, 8);
		expect(abs.ci95![1]).toBeCloseTo(-3.0889951821009642, 8);
		expect(result.relativeChange!.ci95![0]).toBeCloseTo(-0.28697792609847644, 8);
		expect(result.relativeChange!.ci95![1]).toBeCloseTo(-0.22111496623086907, 8);
	});
});
