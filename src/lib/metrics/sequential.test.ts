import { describe, expect, it } from 'vitest';
import { compare } from './compare';
import {
	anytimeInterval,
	oneSidedHalfWidth,
	sequentialPValueOneSided,
	sequentialRhoOneSided
} from './sequential';
import type { MomentStats } from './sufficient-stats';

const moments = (n: number, sum: number, sumSquares: number): MomentStats => ({
	type: 'moments',
	n,
	sum,
	sumSquares
});
const proportion = (n: number, sum: number): MomentStats => moments(n, sum, sum);
const round = (x: number, decimals: number): number => Number(x.toFixed(decimals));

// GrowthBook gbstats sequential (always-valid) tests, growthbook/growthbook commit 8f1db44,
// packages/stats/tests/frequentist/test_tests.py (TestSequentialTTest, TestSequentialOneSided*)
// and tests/test_gbstats.py (TestAnalyzeMetricDfSequential), as transcribed in
// docs/reference/gbstats_sequential.json. N = baseline.n + pilot.n; GrowthBook asserts the
// numbers rounded to `decimals`, so we compare after the same rounding.
describe('golden values: gbstats two-sided confidence sequences from sufficient statistics', () => {
	const cases = [
		{
			id: 'seq2_mean_relative_t1000',
			baseline: moments(3000, 1396.87, 52377.9767),
			pilot: moments(3461, 2422.7, 134698.29),
			kind: 'mean' as const,
			tuning: 1000,
			expected: 0.50336,
			ci: [-0.55844, 1.56516],
			p: 1,
			decimals: 5
		},
		{
			id: 'seq2_proportion_relative_t5000',
			baseline: proportion(3000, 1396),
			pilot: proportion(3461, 2422),
			kind: 'proportion' as const,
			tuning: 5000,
			expected: 0.50386,
			ci: [0.40098, 0.60675],
			p: 0,
			decimals: 5
		},
		{
			id: 'pipe_seq2_mean_relative_t600',
			baseline: moments(100, 270, 848.79),
			pilot: moments(120, 300, 869),
			kind: 'mean' as const,
			tuning: 600,
			expected: -0.074074074,
			// Only the lower bound is asserted by the pipeline test.
			ci: [-0.233322085, null],
			p: 0.892332229,
			decimals: 9
		}
	];
	it.each(cases)('$id', (c) => {
		const rel = compare(c.baseline, c.pilot, { kind: c.kind }).relativeChange!;
		const n = c.baseline.n + c.pilot.n;
		const seq = anytimeInterval(rel.estimate, rel.standardError!, n, c.tuning, 0.05)!;
		expect(round(rel.estimate, c.decimals)).toBe(c.expected);
		expect(round(seq.ci[0], c.decimals)).toBe(c.ci[0]);
		if (c.ci[1] !== null) expect(round(seq.ci[1], c.decimals)).toBe(c.ci[1]);
		expect(round(seq.pValue, c.decimals)).toBe(c.p);
	});
});

// The CUPED cases' estimates come from a regression adjustment Pilot Impact does not make; the
// sequence itself only needs the estimate, its fixed-horizon se and N, so these feed the
// reference file's full-precision est and se (its `recomputed` block) and check the published
// interval.
describe('golden values: gbstats sequences from an estimate and its standard error', () => {
	const cases = [
		{
			id: 'seq2_mean_cuped_relative_t5000',
			estimate: 0.503383995601997,
			se: 0.33341199182116854,
			n: 6461,
			ci: [-0.50969, 1.51646],
			p: 1
		},
		{
			id: 'seq2_ratio_cuped_relative_t5000',
			estimate: -0.0007014833343350888,
			se: 0.003907384079294605,
			n: 200,
			ci: [-0.02063, 0.01923],
			p: 1
		}
	];
	it.each(cases)('$id', (c) => {
		const seq = anytimeInterval(c.estimate, c.se, c.n, 5000, 0.05)!;
		expect(seq.ci.map((x) => round(x, 5))).toEqual(c.ci);
		expect(round(seq.pValue, 5)).toBe(c.p);
	});
});

describe('golden values: gbstats one-sided sequences', () => {
	// seq1_greater_mean_absolute_t5000 and seq1_lesser_mean_*_t5000: the bound, and the
	// p-value's clip at 0.4999 when the bound never reaches 0. For the greater/absolute case
	// gbstats bisects (0.46316491943359384); the exact root is 0.46304735779462636 (reference
	// file, `p_value_exact_root`), which we compute in closed form.
	const baseline = moments(3000, 1396.87, 52377.9767);
	const pilot = moments(3461, 2422.7, 134698.29);
	const rho = sequentialRhoOneSided(0.05, 5000);
	it('greater, absolute: lower bound and exact-root p-value', () => {
		const abs = compare(baseline, pilot, { kind: 'mean' }).absoluteChange!;
		const half = oneSidedHalfWidth(abs.standardError!, 6461, 0.05, rho);
		expect(round(abs.estimate - half, 5)).toBe(round(-0.12656844172804982, 5));
		const p = sequentialPValueOneSided(abs.estimate / abs.standardError!, 6461, rho);
		expect(p).toBeCloseTo(0.46304735779462636, 12);
		expect(round(p, 3)).toBe(round(0.46316491943359384, 3));
	});
	it('greater, relative: lower bound and the 0.4999 clip (seq1_greater_mean_relative_t5000)', () => {
		const rel = compare(baseline, pilot, { kind: 'mean' }).relativeChange!;
		const half = oneSidedHalfWidth(rel.standardError!, 6461, 0.05, rho);
		expect(round(rel.estimate - half, 5)).toBe(round(-0.42356454602790883, 5));
		expect(sequentialPValueOneSided(rel.estimate / rel.standardError!, 6461, rho)).toBe(0.4999);
	});
	it('lesser, absolute: upper bound and the 0.4999 clip (seq1_lesser_mean_absolute_t5000)', () => {
		const abs = compare(baseline, pilot, { kind: 'mean' }).absoluteChange!;
		const half = oneSidedHalfWidth(abs.standardError!, 6461, 0.05, rho);
		expect(round(abs.estimate + half, 5)).toBe(round(0.5953217750613832, 5));
		expect(sequentialPValueOneSided(-abs.estimate / abs.standardError!, 6461, rho)).toBe(0.4999);
	});
	it('lesser, relative: upper bound and the 0.4999 clip', () => {
		const rel = compare(baseline, pilot, { kind: 'mean' }).relativeChange!;
		const half = oneSidedHalfWidth(rel.standardError!, 6461, 0.05, rho);
		expect(round(rel.estimate + half, 5)).toBe(round(1.4302867177403806, 5));
		// Lesser: the test statistic is −z; the estimate is positive, so the bound never reaches 0.
		expect(sequentialPValueOneSided(-rel.estimate / rel.standardError!, 6461, rho)).toBe(0.4999);
	});
});

describe('properties of the tuning parameter (gbstats)', () => {
	const baseline = moments(3000, 1396.87, 52377.9767);
	const pilot = moments(3461, 2422.7, 134698.29);
	const rel = compare(baseline, pilot, { kind: 'mean' }).relativeChange!;
	const ci = (t: number): readonly [number, number] =>
		anytimeInterval(rel.estimate, rel.standardError!, 6461, t, 0.05)!.ci;
	const contains = (a: readonly [number, number], b: readonly [number, number]): boolean =>
		a[0] < b[0] && a[1] > b[1];
	it('prop_tuning_ordering: tuned near N gives the narrowest interval', () => {
		expect(contains(ci(10), ci(10000))).toBe(true);
		expect(contains(ci(10), ci(6461))).toBe(true);
		expect(contains(ci(10000), ci(6461))).toBe(true);
		// Reference file, recomputed block: CI at T = 6461.
		expect(ci(6461)[0]).toBeCloseTo(-0.5086146655205719, 12);
		expect(ci(6461)[1]).toBeCloseTo(1.5153368372330436, 12);
	});
	it('prop_pipe_bad_tuning: T = 1 gives a lower bound below T = 600', () => {
		const r = compare(moments(100, 270, 848.79), moments(120, 300, 869), {
			kind: 'mean'
		}).relativeChange!;
		const at = (t: number): number =>
			anytimeInterval(r.estimate, r.standardError!, 220, t, 0.05)!.ci[0];
		expect(at(1)).toBeLessThan(at(600));
		expect(at(1)).toBeCloseTo(-0.2599571391421548, 12);
	});
	it('is wider than the fixed-horizon interval and consistent with its p-value', () => {
		const seq = anytimeInterval(0.3, 0.1, 1000, 1000, 0.05)!;
		expect(seq.ci[0]).toBeLessThan(0.3 - 1.96 * 0.1);
		// The p-value is the alpha at which the sequence touches 0.
		const touching = anytimeInterval(0.3, 0.1, 1000, 1000, seq.pValue, 0.05)!;
		expect(touching.ci[0]).toBeCloseTo(0, 10);
	});
	it('answers null rather than NaN for degenerate inputs', () => {
		expect(anytimeInterval(1, 0, 100, 100, 0.05)).toBeNull();
		expect(anytimeInterval(1, 0.1, 0, 100, 0.05)).toBeNull();
		expect(anytimeInterval(1, Number.NaN, 100, 100, 0.05)).toBeNull();
		expect(anytimeInterval(1, 0.1, 100, 0, 0.05)).toBeNull();
	});
});
