import { describe, expect, it } from 'vitest';
import type { Comparison } from './compare';
import {
	decideVerdict,
	guardrailStatus,
	meetsTarget,
	type Direction,
	type Scaled
} from './verdict';

/** A comparison with the given absolute and relative change (estimate, CI) and n per phase. */
function comparison(
	abs: [number, number, number] | null,
	rel: [number, number, number] | null = null,
	n = 100
): Comparison {
	const change = (c: [number, number, number] | null) =>
		c === null
			? null
			: { estimate: c[0], ci95: [c[1], c[2]] as const, pValue: 0.5, standardError: 1, df: 50 };
	return {
		baseline: { n, value: 10 },
		pilot: { n, value: 10 + (abs?.[0] ?? 0) },
		absoluteChange: change(abs),
		relativeChange: change(rel),
		reasons: []
	};
}

describe('verdict (docs/api.md)', () => {
	it.each<[string, Comparison, Direction, number, string]>([
		['CI above 0, increase is good', comparison([2, 1, 3]), 'increase', 30, 'improved'],
		['CI above 0, decrease is good', comparison([2, 1, 3]), 'decrease', 30, 'worsened'],
		['CI below 0, decrease is good', comparison([-2, -3, -1]), 'decrease', 30, 'improved'],
		['CI contains 0', comparison([0.5, -1, 2]), 'increase', 30, 'no_detectable_change'],
		[
			'CI touching 0 does not exclude it',
			comparison([1, 0, 2]),
			'increase',
			30,
			'no_detectable_change'
		],
		[
			'fewer cases than minSamples',
			comparison([2, 1, 3], null, 29),
			'increase',
			30,
			'insufficient_data'
		],
		['no interval computable', comparison(null), 'increase', 30, 'insufficient_data']
	])('%s → %s', (_name, c, direction, minSamples, expected) => {
		expect(decideVerdict(c, direction, minSamples).verdict).toBe(expected);
	});
});

describe('meetsTarget (docs/api.md)', () => {
	it.each<[string, Comparison, Direction, Scaled | undefined, string, boolean | null]>([
		['no target', comparison([-3, -4, -2]), 'decrease', undefined, 'improved', null],
		[
			'relative −30% vs target −20%',
			comparison([-3, -4, -2], [-0.3, -0.4, -0.2]),
			'decrease',
			{ relative: -0.2 },
			'improved',
			true
		],
		[
			'relative −10% vs target −20%',
			comparison([-1, -1.5, -0.5], [-0.1, -0.15, -0.05]),
			'decrease',
			{ relative: -0.2 },
			'improved',
			false
		],
		[
			'absolute +2 vs target +2 (reaches it exactly)',
			comparison([2, 1, 3]),
			'increase',
			{ absolute: 2 },
			'improved',
			true
		],
		[
			'not improved',
			comparison([2, -1, 5]),
			'increase',
			{ absolute: 1 },
			'no_detectable_change',
			false
		],
		[
			'improved but relative scale unknown',
			comparison([2, 1, 3], null),
			'increase',
			{ relative: 0.1 },
			'improved',
			null
		]
	])('%s', (_name, c, direction, target, verdict, expected) => {
		expect(meetsTarget(c, verdict as never, direction, target).meetsTarget).toBe(expected);
	});
});

describe('guardrail (docs/api.md)', () => {
	// Error rate, decrease is good, tolerance: at most +0.01 absolute.
	const tol = { absolute: 0.01 };
	it.each<[string, Comparison, string]>([
		['CI upper end below the tolerance', comparison([0.002, -0.004, 0.008]), 'holds'],
		['CI upper end exactly the tolerance', comparison([0.002, -0.006, 0.01]), 'holds'],
		['worsened beyond tolerance', comparison([0.03, 0.02, 0.04]), 'breached'],
		['worsened, but less than tolerance', comparison([0.006, 0.002, 0.012]), 'unclear'],
		['not worsened, CI too wide', comparison([0.001, -0.02, 0.022]), 'unclear'],
		['estimate beyond tolerance, CI contains 0', comparison([0.02, -0.001, 0.041]), 'unclear'],
		['insufficient data', comparison([0.001, 0, 0.002], null, 5), 'unclear']
	])('%s → %s', (_name, c, expected) => {
		const verdict = decideVerdict(c, 'decrease', 30).verdict;
		expect(guardrailStatus(c, verdict, 'decrease', tol)).toBe(expected);
	});

	it('reads a relative tolerance on the relative change, direction increase', () => {
		// CSAT must not fall by more than 5%.
		const c = comparison([-0.1, -0.2, 0], [-0.02, -0.04, 0.001]);
		expect(guardrailStatus(c, 'no_detectable_change', 'increase', { relative: 0.05 })).toBe(
			'holds'
		);
		const bad = comparison([-0.5, -0.6, -0.4], [-0.1, -0.12, -0.08]);
		expect(guardrailStatus(bad, 'worsened', 'increase', { relative: 0.05 })).toBe('breached');
	});
});

describe('meetsTarget with a meaningful share of the target', () => {
	// Target −20% (decrease) or +20% (increase); the interval must also rule out a gain smaller
	// than a quarter of it (−5% / +5%), inclusive at the boundary.
	it.each<[string, [number, number, number], Direction, boolean]>([
		['decrease: estimate at target, interval clear of −5%', [-0.2, -0.3, -0.05], 'decrease', true],
		['decrease: interval reaches into the last quarter', [-0.2, -0.3, -0.049], 'decrease', false],
		['decrease: estimate short of the target', [-0.19, -0.3, -0.1], 'decrease', false],
		['increase: estimate at target, interval clear of +5%', [0.2, 0.05, 0.3], 'increase', true],
		['increase: interval reaches into the last quarter', [0.2, 0.049, 0.3], 'increase', false],
		['increase: estimate short of the target', [0.19, 0.1, 0.3], 'increase', false]
	])('%s', (_name, rel, direction, expected) => {
		const target: Scaled = { relative: direction === 'decrease' ? -0.2 : 0.2 };
		const c = comparison([rel[0] * 10, rel[1] * 10, rel[2] * 10], rel);
		expect(meetsTarget(c, 'improved', direction, target, 0.25).meetsTarget).toBe(expected);
	});
});
