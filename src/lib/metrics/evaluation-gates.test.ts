import { describe, expect, it } from 'vitest';
import { evaluateGates, wilsonInterval, wilsonLower } from './evaluation-gates';

describe('wilsonInterval', () => {
	// Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion: comparison
	// of seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score
	// interval without continuity correction), published to four decimals.
	it.each([
		[81, 263, 0.2553, 0.3662],
		[15, 148, 0.0624, 0.1605],
		[0, 20, 0.0, 0.1611],
		[1, 29, 0.0061, 0.1718]
	])('%i of %i → [%f, %f]', (passed, total, lower, upper) => {
		const interval = wilsonInterval(passed, total);
		expect(interval).not.toBeNull();
		expect(Math.abs(interval![0] - lower)).toBeLessThan(5e-5 + 1e-12);
		expect(Math.abs(interval![1] - upper)).toBeLessThan(5e-5 + 1e-12);
	});

	it('stays inside [0, 1] at the edges and refuses impossible counts', () => {
		expect(wilsonInterval(29, 29)![1]).toBe(1);
		expect(wilsonInterval(0, 5)![0]).toBe(0);
		expect(wilsonInterval(3, 2)).toBeNull();
		expect(wilsonInterval(-1, 2)).toBeNull();
		expect(wilsonInterval(0, 0)).toBeNull();
	});
});

describe('wilsonLower', () => {
	// Wilson score interval, z = NormalDist().inv_cdf(0.975), evaluated with Python 3's statistics.
	it('118 of 120 → 0.9412640370278411', () => {
		expect(wilsonLower(118, 120)).toBeCloseTo(0.9412640370278411, 12);
	});
	it('is null without cases', () => {
		expect(wilsonLower(0, 0)).toBeNull();
	});
});

describe('evaluateGates (docs/api.md)', () => {
	const gates = { correct: 0.9, sensitiveDataKept: 1.0, tone: 0.8 };
	it('passes on the Wilson lower bound, needs minSamples without failure for 1.0, flags untested', () => {
		const results = evaluateGates(
			gates,
			{
				criteria: {
					correct: { passed: 112, total: 120 },
					sensitiveDataKept: { passed: 30, total: 30 }
				}
			},
			30
		);
		expect(results.map((r) => [r.criterion, r.status])).toEqual([
			['correct', 'failed'], // 93% observed, lower bound ≈ 0.874 < 0.9
			['sensitiveDataKept', 'passed'],
			['tone', 'untested']
		]);
		// 100% threshold: one failure fails it, however many cases.
		const oneFailure = evaluateGates(
			gates,
			{ criteria: { sensitiveDataKept: { passed: 119, total: 120 } } },
			30
		);
		expect(oneFailure[1].status).toBe('failed');
		const strict = evaluateGates(
			gates,
			{ criteria: { sensitiveDataKept: { passed: 29, total: 29 } } },
			30
		);
		expect(strict[1].status).toBe('failed');
	});
});
