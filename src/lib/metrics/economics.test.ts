import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../schemas/plan';
import { errorRate, exampleEconomics, handlingTime } from '../../../tests/support/plan-fixtures';
import type { Comparison } from './compare';
import { computeEconomics } from './economics';
import { expectFiniteNumbers } from '../../../tests/support/finite';

const handling = handlingTime();
const errors = errorRate(0.01, 25);

const change = (estimate: number, lo: number, hi: number): Comparison => ({
	baseline: { n: 100, value: 10 },
	pilot: { n: 100, value: 10 + estimate },
	absoluteChange: { estimate, ci95: [lo, hi], pValue: 0.01, standardError: 1, df: 100 },
	relativeChange: null,
	reasons: []
});

const economics = { ...exampleEconomics, hourlyCost: 36 };

describe('computeEconomics', () => {
	it('values staff time and errors, with intervals, by hand-checkable arithmetic', () => {
		const result = computeEconomics({
			economics,
			metrics: [
				// −4 min per case (CI −5 to −3); errors −0.01 per case (CI −0.02 to 0).
				{ definition: handling, comparison: change(-4, -5, -3) },
				{ definition: errors, comparison: change(-0.01, -0.02, 0) }
			],
			pilotCases: 1000,
			pilotDaysElapsed: 365.25 / 12
		});
		// Staff: 4 min = 1/15 h × 36 EUR × 0.5 = 1.2 EUR per case (CI 0.9 to 1.5).
		// Errors: 0.01 × 25 = 0.25 EUR per case (CI 0 to 0.5). Total 1.45 (CI 0.9 to 2.0).
		expect(result.benefitPerCase!.estimate).toBeCloseTo(1.45, 10);
		expect(result.benefitPerCase!.ci95![0]).toBeCloseTo(0.9, 10);
		expect(result.benefitPerCase!.ci95![1]).toBeCloseTo(2.0, 10);
		expect(result.hoursSavedToDate!.estimate).toBeCloseTo(1000 / 15, 10);
		expect(result.benefitToDate).toBeCloseTo(1450, 8);
		// One month elapsed: 12000 + 900 + 0.02 × 1000.
		expect(result.costToDate).toBeCloseTo(12920, 8);
		expect(result.netToDate).toBeCloseTo(1450 - 12920, 8);
		// Run rate: 12 × 4000 × (1.45 − 0.02) − 12 × 900 = 68640 − 10800.
		expect(result.annualNetBenefit).toBeCloseTo(57840, 6);
		expect(result.intervals.annualNetBenefit![0]).toBeCloseTo(12 * 4000 * 0.88 - 10800, 6);
		// First year: (57840 − 12000) / (12000 + 10800 + 960).
		expect(result.roi).toBeCloseTo(45840 / 23760, 10);
		expect(result.paybackMonths).toBeCloseTo(12000 / (57840 / 12), 10);
		expect(result.intervals.paybackMonths![0]).toBeLessThan(result.paybackMonths!);
		expect(result.missing).toEqual([]);
	});

	it('names missing inputs instead of assuming them', () => {
		const result = computeEconomics({
			economics: { currency: 'EUR' },
			metrics: [{ definition: handling, comparison: change(-4, -5, -3) }],
			pilotCases: 10,
			pilotDaysElapsed: 7
		});
		expect(result.benefitToDate).toBeNull();
		expect(result.costToDate).toBeNull();
		expect(result.annualNetBenefit).toBeNull();
		expect(result.missing).toEqual([
			'time recapture share not set',
			'hourly cost not set',
			'one-off cost not set',
			'monthly cost not set',
			'cost per case not set',
			'monthly volume not set'
		]);
		// Hours saved is derived from the measured change, needing no money input.
		expect(result.hoursSavedToDate!.estimate).toBeCloseTo(10 * (4 / 60), 10);
	});

	it('says when no metric carries a money value', () => {
		const plain: MetricDefinition = { ...handling, staffTime: undefined };
		const result = computeEconomics({
			economics,
			metrics: [{ definition: plain, comparison: change(-4, -5, -3) }],
			pilotCases: 10,
			pilotDaysElapsed: 7
		});
		expect(result.missing[0]).toMatch(/no metric has a money value/);
		expect(result.benefitToDate).toBeNull();
	});

	it('gives no payback when the pilot loses money, and an open upper bound when it may', () => {
		const losing = computeEconomics({
			economics,
			metrics: [{ definition: handling, comparison: change(0.5, -1, 2) }],
			pilotCases: 10,
			pilotDaysElapsed: 7
		});
		expect(losing.annualNetBenefit).toBeLessThan(0);
		expect(losing.paybackMonths).toBeNull();
		const unsure = computeEconomics({
			economics,
			metrics: [{ definition: handling, comparison: change(-4, -8, 0) }],
			pilotCases: 10,
			pilotDaysElapsed: 7
		});
		expect(unsure.paybackMonths).not.toBeNull();
		expect(unsure.intervals.paybackMonths![1]).toBeNull();
	});

	it('drops figures that overflow instead of reporting Infinity', () => {
		// Found by the impact report's property test: a change near the largest double times
		// the pilot's cases is Infinity (JSON would have shown it as null).
		const result = computeEconomics({
			economics,
			metrics: [{ definition: handling, comparison: change(-2e307, -2.2e307, -1.8e307) }],
			pilotCases: 745,
			pilotDaysElapsed: 30
		});
		expectFiniteNumbers(result);
		expect(result.hoursSavedToDate).toBeNull();
		expect(result.benefitPerCase!.estimate).toBeGreaterThan(1e305);
		expect(result.intervals.benefitToDate).toEqual([null, null]);
		expect(result.benefitToDate).toBeNull();
	});
});
