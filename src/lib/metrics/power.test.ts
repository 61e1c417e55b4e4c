import { describe, expect, it } from 'vitest';
import type { PhaseEstimate } from './phase-estimate';
import { powerAnalysis } from './power';
import { DEFAULT_SETTINGS } from './settings';

/** A phase with per-case standard deviation `sd`. */
const phase = (n: number, value: number, sd: number): PhaseEstimate => ({
	n,
	value,
	valueVariance: (sd * sd) / n,
	reasons: []
});

/** 14 min at baseline, 12 in the pilot, sd 6: the analysis with these cases and settings. */
const fourteenToTwelve = (
	[baseline, pilot]: [baseline: number, pilot: number],
	plan: { goal: number | null; minSamples: number; perDay: number }
) =>
	powerAnalysis(
		{
			baseline: phase(baseline, 14, 6),
			pilot: phase(pilot, 12, 6),
			goal: plan.goal,
			minSamples: plan.minSamples,
			pilotCasesPerDay: plan.perDay
		},
		DEFAULT_SETTINGS
	);

// z(0.975) + z(0.8) = 1.959964 + 0.841621 = 2.801585 (standard normal quantiles).
const Z = 2.8015852;

describe('powerAnalysis', () => {
	it('minimum detectable effect at the current sample sizes', () => {
		const result = fourteenToTwelve([400, 100], { goal: null, minSamples: 30, perDay: 20 });
		expect(result.minimumDetectableEffect).toBeCloseTo(Z * Math.sqrt(36 / 400 + 36 / 100), 5);
		expect(result.minimumDetectableRelativeEffect).toBeCloseTo(
			result.minimumDetectableEffect! / 14,
			10
		);
		expect(result.pilotCasesNeeded).toBe(0);
	});

	it('cases and days still needed to detect the target', () => {
		// Goal 2.8 min with sd 6: need 36/n_P ≤ (2.8/Z)² − 36/400.
		const result = fourteenToTwelve([400, 20], { goal: 2.8, minSamples: 30, perDay: 10 });
		const required = Math.ceil(36 / ((2.8 / Z) ** 2 - 36 / 400));
		expect(result.pilotCasesNeeded).toBe(required - 20);
		expect(result.daysNeeded).toBe(Math.ceil((required - 20) / 10));
	});

	it('says when the baseline is too small for the target, however long the pilot runs', () => {
		const result = fourteenToTwelve([10, 20], { goal: 1, minSamples: 10, perDay: 10 });
		expect(result.pilotCasesNeeded).toBeNull();
		expect(result.reasons).toContain('target_unreachable_with_baseline');
	});

	it('borrows the baseline variance while the pilot has a single case, and counts baseline shortfall', () => {
		const result = powerAnalysis(
			{
				baseline: phase(25, 14, 6),
				pilot: { n: 1, value: 9, valueVariance: null, reasons: ['too_few_cases'] },
				goal: 5,
				minSamples: 30,
				pilotCasesPerDay: null
			},
			DEFAULT_SETTINGS
		);
		expect(result.baselineCasesNeeded).toBe(5);
		// 36/n_P ≤ (5/Z)² − 36/25 needs 21 cases, fewer than minSamples: 30 − 1 more.
		expect(result.pilotCasesNeeded).toBe(29);
		expect(result.daysNeeded).toBeNull();
	});
});
