import { describe, expect, it } from 'vitest';
import { planSchema } from '../schemas/plan';
import { p90, threeWeekWindows, threeWeeksIn } from '../../../tests/support/plan-fixtures';
import { compare } from './compare';
import { decisionIntervals, plannedPilotCases } from './decision-interval';
import { buildImpactReport } from './impact-report';
import { holm } from './multiple-testing';
import { anytimeInterval } from './sequential';
import type { MomentStats, PhaseStats } from './sufficient-stats';
import { tInterval } from './welch';

/** Moments of n cases with a given mean and standard deviation. */
const sample = (n: number, mean: number, sd: number): MomentStats => ({
	type: 'moments',
	n,
	sum: n * mean,
	sumSquares: (n - 1) * sd * sd + n * mean * mean
});

const windows = threeWeekWindows;

describe('plannedPilotCases', () => {
	it('takes the plan’s figure, else the monthly volume over the window, else the baseline size', () => {
		expect(plannedPilotCases({ ...windows, plannedPilotCases: 630 }, 600, 30)).toEqual({
			cases: 630,
			source: 'plan'
		});
		// 21 days of a 3,000-a-month process: 3000 · 21 / 30.4375.
		expect(plannedPilotCases({ ...windows, economics: { monthlyVolume: 3000 } }, 600, 30)).toEqual({
			cases: 2070,
			source: 'monthly_volume'
		});
		expect(plannedPilotCases(windows, 600, 30)).toEqual({ cases: 600, source: 'baseline' });
		expect(plannedPilotCases(windows, 4, 30)).toEqual({ cases: 30, source: 'baseline' });
	});
});

const input = (
	b: PhaseStats,
	p: PhaseStats,
	planned = 630,
	kind: 'mean' | 'quantile' = 'mean'
) => ({
	kind,
	comparison: compare(b, p, kind === 'quantile' ? { kind, quantile: 0.5 } : { kind }),
	judged: true,
	plannedPilotCases: planned
});

describe('decisionIntervals', () => {
	it('a single metric: the confidence sequence, wider than the fixed-horizon interval', () => {
		const one = input(sample(600, 10, 5), sample(300, 9, 5));
		const [d] = decisionIntervals([one], 'holm', 0.05);
		const fixed = one.comparison.absoluteChange!;
		const seq = anytimeInterval(fixed.estimate, fixed.standardError!, 900, 1230, 0.05)!;
		expect(d).toMatchObject({
			method: 'confidence_sequence',
			tuningCases: 1230,
			adjustment: 'none',
			familySize: 1,
			alpha: 0.05
		});
		expect(d.absoluteChange!.ci95).toEqual(seq.ci);
		expect(d.absoluteChange!.pValue).toBe(seq.pValue);
		expect(d.absoluteChange!.ci95![0]).toBeLessThan(fixed.ci95![0]);
		expect(d.absoluteChange!.ci95![1]).toBeGreaterThan(fixed.ci95![1]);
	});

	it('a family: Holm-adjusted p-values, intervals that exclude 0 exactly when they are below alpha', () => {
		const family = [
			input(sample(600, 10, 5), sample(600, 8.9, 5)),
			input(sample(600, 10, 5), sample(600, 9.1, 5)),
			input(sample(600, 10, 5), sample(600, 10.1, 5))
		];
		const ds = decisionIntervals(family, 'holm', 0.05);
		const raw = ds.map((_, i) => {
			const c = family[i].comparison.absoluteChange!;
			return anytimeInterval(c.estimate, c.standardError!, 1200, 1230, 0.05)!.pValue;
		});
		expect(ds.map((d) => d.pValueAdjusted)).toEqual(holm(raw));
		for (const d of ds) {
			expect(d.adjustment).toBe('holm');
			expect(d.familySize).toBe(3);
			const [lo, hi] = d.absoluteChange!.ci95!;
			expect(lo > 0 || hi < 0).toBe(d.pValueAdjusted! < 0.05);
		}
		// Adjusted, the second metric is no longer distinguishable from no change.
		expect(raw[1]).toBeLessThan(0.05);
		expect(ds[1].pValueAdjusted!).toBeGreaterThan(0.05);
	});

	it('a metric below its minimum cases stays out of the family', () => {
		const ds = decisionIntervals(
			[
				input(sample(600, 10, 5), sample(600, 8.9, 5)),
				{ ...input(sample(600, 10, 5), sample(10, 9, 5)), judged: false }
			],
			'holm',
			0.05
		);
		expect(ds[0].familySize).toBe(1);
		expect(ds[0].adjustment).toBe('none');
		expect(ds[1].pValueAdjusted).toBeNull();
	});

	it('a quantile: no interval before the planned cases, then the fixed-horizon one', () => {
		const values = (n: number, shift: number): PhaseStats => ({
			type: 'values',
			values: Array.from({ length: n }, (_, i) => shift + ((i * 37) % 101))
		});
		const early = decisionIntervals(
			[input(values(300, 0), values(200, -10), 300, 'quantile')],
			'holm',
			0.05
		)[0];
		expect(early.method).toBe('fixed_horizon_at_planned_cases');
		expect(early.absoluteChange).toEqual({ ci95: null, pValue: null });
		const done = input(values(300, 0), values(300, -10), 300, 'quantile');
		const late = decisionIntervals([done], 'holm', 0.05)[0];
		const abs = done.comparison.absoluteChange!;
		expect(late.absoluteChange!.ci95).toEqual(
			tInterval(abs.estimate, abs.standardError, abs.df, 0.05).ci95
		);
	});
});

describe('the impact report judges on the decision interval', () => {
	const plan = planSchema.parse({
		slug: 'daily-looks',
		name: 'Daily looks',
		...windows,
		plannedPilotCases: 630,
		metrics: [
			{
				key: 'handling_time',
				kind: 'mean',
				measure: 'handling_minutes',
				direction: 'decrease',
				role: 'primary',
				target: { relative: -0.1 }
			},
			p90('p90', 'first_response')
		]
	});
	const stats = (pilotMean: number, pilotN: number) => ({
		metrics: {
			handling_time: {
				baseline: { ai: sample(600, 10, 5), control: null },
				pilot: { ai: sample(pilotN, pilotMean, 5), control: null }
			},
			p90: {
				baseline: {
					ai: { type: 'values' as const, values: Array.from({ length: 600 }, (_, i) => i % 97) },
					control: null
				},
				pilot: {
					ai: {
						type: 'values' as const,
						values: Array.from({ length: pilotN }, (_, i) => (i % 97) / 2)
					},
					control: null
				}
			}
		},
		cases: { baseline: { ai: 600, control: 0 }, pilot: { ai: pilotN, control: 0 } }
	});
	const context = { ...threeWeeksIn, generatedAt: '2026-10-01T00:00:00Z', pilotDaysElapsed: 4 };

	it('a change the fixed interval would call improved is not yet improved at an early look', () => {
		const report = buildImpactReport(plan, stats(8.8, 100), context);
		const primary = report.metrics[0];
		expect(primary.absoluteChange!.ci95![1]).toBeLessThan(0);
		expect(primary.verdict).toBe('no_detectable_change');
		expect(primary.decisionInterval.absoluteChange!.ci95![1]).toBeGreaterThan(0);
		expect(report.recommendation.decision).not.toBe('scale');
		expect(report.plannedPilotCases).toEqual({ cases: 630, source: 'plan' });
	});

	it('a quantile metric waits for the planned cases, and says so', () => {
		const early = buildImpactReport(plan, stats(8, 100), context).metrics[1];
		expect(early.verdict).toBe('insufficient_data');
		expect(early.reasons).toContain('quantile_awaits_planned_cases');
		expect(early.absoluteChange!.ci95).not.toBeNull();
		const late = buildImpactReport(plan, stats(8, 630), context).metrics[1];
		expect(late.verdict).toBe('improved');
	});
});
