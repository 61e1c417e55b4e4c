import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type Comparison } from './compare';
import type { MetricKind } from './phase-estimate';
import type { ReasonCode } from './reasons';
import {
	momentsOf,
	ratioOf,
	valuesOf,
	type MomentStats,
	type PhaseStats
} from './sufficient-stats';
import { decideVerdict } from './verdict';
import { tInterval } from './welch';
import { expectFiniteNumbers, nonFiniteNumbers } from '../../../tests/support/finite';

const m = (n: number, sum: number, sumSquares: number): MomentStats => ({
	type: 'moments',
	n,
	sum,
	sumSquares
});

// Every degenerate case yields nulls with a reason, never NaN, Infinity or an invented 0.
// (GrowthBook returns effect 0, CI [0, 0], p = 1 for these; we deliberately do not.)
const degenerate: {
	name: string;
	kind: MetricKind;
	baseline: PhaseStats | null;
	pilot: PhaseStats | null;
	reason: ReasonCode;
	absolute: 'null' | 'estimate only' | 'full';
	relative: 'null' | 'estimate only' | 'full';
}[] = [
	{
		name: 'empty baseline (no statistics)',
		kind: 'mean',
		baseline: null,
		pilot: momentsOf([1, 2, 3]),
		reason: 'empty_phase',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'empty pilot (n = 0)',
		kind: 'mean',
		baseline: momentsOf([1, 2, 3]),
		pilot: m(0, 0, 0),
		reason: 'empty_phase',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'one pilot case (gbstats pipe_mean_one_user)',
		kind: 'mean',
		baseline: m(3, 20, 443),
		pilot: m(1, 1, 1),
		reason: 'too_few_cases',
		absolute: 'estimate only',
		relative: 'estimate only'
	},
	{
		name: 'one baseline case, proportion',
		kind: 'proportion',
		baseline: m(1, 1, 1),
		pilot: momentsOf([0, 1, 1, 0]),
		reason: 'too_few_cases',
		absolute: 'estimate only',
		relative: 'estimate only'
	},
	{
		name: 'zero variance in both phases',
		kind: 'mean',
		baseline: momentsOf([0.1, 0.1, 0.1]),
		pilot: momentsOf([0.3, 0.3]),
		reason: 'zero_variance',
		absolute: 'estimate only',
		relative: 'estimate only'
	},
	{
		name: 'proportion 0 in both phases',
		kind: 'proportion',
		baseline: momentsOf(Array(50).fill(0)),
		pilot: momentsOf(Array(40).fill(0)),
		reason: 'zero_variance',
		absolute: 'estimate only',
		relative: 'null'
	},
	{
		name: 'zero baseline mean: relative undefined, absolute fine',
		kind: 'mean',
		baseline: momentsOf([-1, 1, -2, 2]),
		pilot: momentsOf([1, 2, 3]),
		reason: 'zero_baseline',
		absolute: 'full',
		relative: 'null'
	},
	{
		name: 'ratio with zero denominator sum (gbstats pipe_ratio_zero_denominator)',
		kind: 'ratio',
		baseline: { type: 'ratio', n: 100, sumX: 270, sumX2: 848.79, sumY: 0, sumY2: 0, sumXY: 0 },
		pilot: { type: 'ratio', n: 120, sumX: 300, sumX2: 869, sumY: 500, sumY2: 800, sumXY: -905 },
		reason: 'zero_denominator',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'negative variance from inconsistent sums (gbstats tt_two_sided_missing_variance)',
		kind: 'mean',
		baseline: m(2, 1396.87, 52377.9767),
		pilot: m(3461, 2422.7, 134698.29),
		reason: 'inconsistent_statistics',
		absolute: 'estimate only',
		relative: 'estimate only'
	},
	{
		name: 'proportion with more successes than cases',
		kind: 'proportion',
		baseline: m(10, 11, 11),
		pilot: momentsOf([0, 1]),
		reason: 'inconsistent_statistics',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'sums that overflow',
		kind: 'mean',
		baseline: momentsOf([1e200, 2e200]),
		pilot: momentsOf([1, 2]),
		reason: 'numeric_overflow',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'quantiles whose difference overflows',
		kind: 'quantile',
		baseline: valuesOf([-1e308, -1e308, -1e308]),
		pilot: valuesOf([1e308, 1e308, 1e308]),
		reason: 'numeric_overflow',
		absolute: 'null',
		relative: 'null'
	},
	{
		name: 'quantile whose order-statistic spread overflows its variance',
		kind: 'quantile',
		baseline: valuesOf(Array.from({ length: 40 }, (_, i) => (i - 20) * 1e200)),
		pilot: valuesOf(Array.from({ length: 40 }, (_, i) => i)),
		reason: 'numeric_overflow',
		absolute: 'estimate only',
		relative: 'estimate only'
	},
	{
		name: 'quantile with too few cases for order statistics',
		kind: 'quantile',
		baseline: valuesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
		pilot: valuesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
		reason: 'quantile_ci_needs_more_cases',
		absolute: 'estimate only',
		relative: 'estimate only'
	}
];

function shape(change: Comparison['absoluteChange']): 'null' | 'estimate only' | 'full' {
	if (change === null) return 'null';
	return change.ci95 === null ? 'estimate only' : 'full';
}

describe('degenerate cases', () => {
	it.each(degenerate)('$name → $reason', (c) => {
		const result = compare(c.baseline, c.pilot, { kind: c.kind, quantile: 0.9 });
		expectFiniteNumbers(result);
		expect(result.reasons).toContain(c.reason);
		expect(shape(result.absoluteChange)).toBe(c.absolute);
		expect(shape(result.relativeChange)).toBe(c.relative);
		if (result.absoluteChange?.ci95 === null) expect(result.absoluteChange.pValue).toBeNull();
		const verdict = decideVerdict(result, 'increase', 1).verdict;
		if (c.absolute !== 'full') expect(verdict).toBe('insufficient_data');
	});
});

const finiteValue = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const sample = fc.array(finiteValue, { minLength: 2, maxLength: 40 });

describe('tInterval', () => {
	// Unreachable through compare (a finite variance keeps the half-width small), but
	// difference in differences and future callers rely on the guard.
	it('drops an interval whose bound overflows, keeping the estimate', () => {
		const change = tInterval(1.5e308, 1e307, 1, 0.05);
		expect(change).toMatchObject({ estimate: 1.5e308, ci95: null, pValue: null });
		expectFiniteNumbers(change);
	});
});

describe('properties', () => {
	it('flipping the direction swaps improved and worsened', () => {
		fc.assert(
			fc.property(sample, sample, (b, p) => {
				const result = compare(momentsOf(b), momentsOf(p), { kind: 'mean' });
				const up = decideVerdict(result, 'increase', 2).verdict;
				const down = decideVerdict(result, 'decrease', 2).verdict;
				const swap: Record<string, string> = { improved: 'worsened', worsened: 'improved' };
				expect(down).toBe(swap[up] ?? up);
			})
		);
	});

	it('scaling every value by k > 0 scales the absolute change and CI by k, not the relative', () => {
		fc.assert(
			fc.property(sample, sample, fc.double({ min: 0.01, max: 100, noNaN: true }), (b, p, k) => {
				// A baseline mean within rounding of 0 makes the relative change ill-conditioned.
				fc.pre(Math.abs(b.reduce((a, x) => a + x, 0) / b.length) > 1e-3);
				const base = compare(momentsOf(b), momentsOf(p), { kind: 'mean' });
				const scaled = compare(momentsOf(b.map((x) => x * k)), momentsOf(p.map((x) => x * k)), {
					kind: 'mean'
				});
				const close = (x: number, y: number): void => {
					expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x), Math.abs(y)));
				};
				const a0 = base.absoluteChange!;
				const a1 = scaled.absoluteChange!;
				close(a1.estimate, k * a0.estimate);
				if (a0.ci95 !== null && a1.ci95 !== null && a0.standardError! > 1e-3) {
					close(a1.ci95[0], k * a0.ci95[0]);
					close(a1.ci95[1], k * a0.ci95[1]);
				}
				if (base.relativeChange !== null && scaled.relativeChange !== null) {
					close(scaled.relativeChange.estimate, base.relativeChange.estimate);
				}
			})
		);
	});

	it('merged per-day statistics equal the all-at-once result', () => {
		const days = fc.array(fc.array(finiteValue, { minLength: 0, maxLength: 15 }), {
			minLength: 1,
			maxLength: 10
		});
		fc.assert(
			fc.property(days, days, (bDays, pDays) => {
				const merge = (parts: number[][]): MomentStats =>
					parts.map(momentsOf).reduce((acc, s) => ({
						type: 'moments',
						n: acc.n + s.n,
						sum: acc.sum + s.sum,
						sumSquares: acc.sumSquares + s.sumSquares
					}));
				const merged = compare(merge(bDays), merge(pDays), { kind: 'mean' });
				const once = compare(momentsOf(bDays.flat()), momentsOf(pDays.flat()), { kind: 'mean' });
				expect(merged.baseline.n).toBe(once.baseline.n);
				expect(merged.reasons).toEqual(once.reasons);
				if (once.absoluteChange !== null) {
					const rel = Math.max(1, Math.abs(once.absoluteChange.estimate));
					expect(
						Math.abs(merged.absoluteChange!.estimate - once.absoluteChange.estimate)
					).toBeLessThanOrEqual(1e-9 * rel * 1e3);
				}
			})
		);
	});

	it('a proportion merged from days keeps variance p(1 − p)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(fc.constantFrom(0, 1), { maxLength: 20 }), {
					minLength: 1,
					maxLength: 8
				}),
				(days) => {
					const all = days.flat();
					fc.pre(all.length >= 2);
					const merged = days.map(momentsOf).reduce((a, s) => ({
						type: 'moments' as const,
						n: a.n + s.n,
						sum: a.sum + s.sum,
						sumSquares: a.sumSquares + s.sumSquares
					}));
					const result = compare(merged, momentsOf([0, 1]), { kind: 'proportion' });
					const p = all.reduce<number>((a, x) => a + x, 0) / all.length;
					expect(result.baseline.value).toBe(p);
					const expectedVar = (p * (1 - p)) / all.length + 0.25 / 2;
					const se = result.absoluteChange!.standardError!;
					expect(se * se).toBeCloseTo(expectedVar, 12);
				}
			)
		);
	});

	it('no finite input ever yields NaN or Infinity', () => {
		const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
		const kinds = fc.constantFrom<MetricKind>('mean', 'proportion', 'ratio', 'quantile');
		const stats = (kind: MetricKind): fc.Arbitrary<PhaseStats> => {
			if (kind === 'ratio') {
				return fc
					.array(fc.tuple(anyDouble, anyDouble), { maxLength: 12 })
					.map((pairs) => ratioOf(pairs));
			}
			if (kind === 'quantile') return fc.array(anyDouble, { maxLength: 60 }).map(valuesOf);
			if (kind === 'proportion') {
				return fc.array(fc.constantFrom(0, 1), { maxLength: 12 }).map(momentsOf);
			}
			return fc.array(anyDouble, { maxLength: 12 }).map(momentsOf);
		};
		fc.assert(
			fc.property(
				kinds.chain((kind) => fc.tuple(fc.constant(kind), stats(kind), stats(kind))),
				([kind, b, p]) => {
					const result = compare(b, p, { kind, quantile: 0.9 });
					expectFiniteNumbers(result);
				}
			),
			{ numRuns: 500 }
		);
	});
});

describe('the finiteness walk used above', () => {
	it('names the path of every NaN or infinite number, which JSON.stringify would hide', () => {
		const change = { estimate: 1, ci95: [Number.NaN, 2], pValue: null, df: Infinity };
		const value = { metrics: [{ key: 'a', change }], days: Float64Array.of(1, -Infinity) };
		expect(JSON.stringify(value)).not.toMatch(/NaN|Infinity/);
		expect(nonFiniteNumbers(value)).toEqual([
			'$.metrics[0].change.ci95[0] = NaN',
			'$.metrics[0].change.df = Infinity',
			'$.days[1] = -Infinity'
		]);
		expect(() => expectFiniteNumbers(value)).toThrow(/ci95\[0\] = NaN/);
		expect(() => expectFiniteNumbers({ a: [1, null, 'NaN', { b: -0 }] })).not.toThrow();
	});
});
