import { describe, expect, it } from 'vitest';
import { adjustedAlpha, benjaminiHochberg, holm } from './multiple-testing';
import { anytimeInterval } from './sequential';

const round8 = (xs: (number | null)[]): (number | null)[] =>
	xs.map((x) => (x === null ? null : Number(x.toFixed(8))));

// GrowthBook packages/shared/test/experiments.test.ts (and one back-end notification test),
// growthbook/growthbook commit 8f1db44, as transcribed in docs/reference/multiple_testing.json
// (values mapped back to input positions).
describe('golden values: GrowthBook multiple-testing adjustments', () => {
	it.each([
		{
			id: 'holm_6',
			p: [0.01, 0.04, 0.03, 0.005, 0.55, 0.6],
			expected: [0.05, 0.12, 0.12, 0.03, 1, 1]
		},
		{ id: 'holm_on_results_2', p: [0.025, 0.03], expected: [0.05, 0.05] }
	])('Holm–Bonferroni $id (exact)', ({ p, expected }) => {
		expect(holm(p)).toEqual(expected);
	});
	it.each([
		{
			id: 'bh_7',
			p: [0.898, 0.138, 0.007, 0.964, 0.538, 0.006, 0.138],
			expected: [0.964, 0.2415, 0.0245, 0.964, 0.7532, 0.0245, 0.2415]
		},
		{ id: 'bh_on_results_2', p: [0.025, 0.03], expected: [0.03, 0.03] },
		{ id: 'bh_backend_borderline_2', p: [0.06, 0.04], expected: [0.06, 0.06] }
	])('Benjamini–Hochberg $id (8 decimals)', ({ p, expected }) => {
		expect(round8(benjaminiHochberg(p))).toEqual(expected);
	});
	it('leaves missing tests out of the family', () => {
		expect(holm([0.01, null, 0.04])).toEqual([0.02, null, 0.04]);
		expect(benjaminiHochberg([null, 0.02, 0.04])).toEqual([null, 0.04, 0.04]);
	});
});

describe('adjusted intervals', () => {
	it('exclude 0 exactly when the adjusted p-value is below alpha', () => {
		const estimate = 0.3;
		const se = 0.1;
		const raw = anytimeInterval(estimate, se, 800, 1000, 0.05)!;
		for (const factor of [1.5, 2, 3, 5]) {
			const adjusted = Math.min(1, raw.pValue * factor);
			const alpha = adjustedAlpha(0.05, raw.pValue, adjusted, 5);
			const ci = anytimeInterval(estimate, se, 800, 1000, alpha, 0.05)!.ci;
			expect(ci[0] > 0).toBe(adjusted < 0.05);
			expect(ci[0]).toBeLessThanOrEqual(raw.ci[0]);
		}
	});
	it('fall back to Bonferroni when a p-value underflowed', () => {
		expect(adjustedAlpha(0.05, 0, 0, 4)).toBe(0.0125);
	});
});
