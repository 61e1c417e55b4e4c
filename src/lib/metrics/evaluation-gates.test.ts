import { describe, expect, it } from 'vitest';
import { evaluateGates, wilsonLower } from './evaluation-gates';

describe('wilsonLower', () => {
	// Wilson score interval, z = NormalDist().inv_cdf(0.975), evaluated with Python 3's statistics.
	it('118 of 120 → 0.9412640370278411', () => {
		expect(wilsonLower(118, 120)).toBeCloseTo(0.9412640370278411, 12);
	});
	it('is null without cases', () => {
		expect(wilsonLower(0, 0)).toBeNull();
	});
});

describe('evaluateGates (API.md)', () => {
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
		const strict = evaluateGates(
			gates,
			{ criteria: { sensitiveDataKept: { passed: 29, total: 29 } } },
			30
		);
		expect(strict[1].status).toBe('failed');
	});
});
