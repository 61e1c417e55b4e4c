import { describe, expect, it } from 'vitest';
import { planSchema } from '../schemas/plan';
import { handlingTime, threeWeekPlan, threeWeeksIn } from '../../../tests/support/plan-fixtures';
import type { DailyPoint } from './baseline-drift';
import { buildImpactReport, type PilotStats } from './impact-report';
import { seededRandom } from './random';
import { mergeAll, momentsOf, type MomentStats } from './sufficient-stats';

const plan = planSchema.parse(threeWeekPlan('Drift', 630, 900, [handlingTime(-0.1, 'minutes')]));

/** 20 baseline days and 21 pilot days of 30 cases, the mean drifting by `perDay` (multiplicative). */
function stats(perDay: number, effect: number, control = false): PilotStats {
	const random = seededRandom(11);
	const points: DailyPoint[] = [];
	for (let d = 0; d < 41; d++) {
		const phase = d < 20 ? 'baseline' : 'pilot';
		const day = new Date(Date.parse('2026-09-01T00:00:00Z') + d * 86_400_000)
			.toISOString()
			.slice(0, 10);
		const mean = 10 * (1 + perDay) ** d * (phase === 'pilot' ? 1 + effect : 1);
		points.push({
			day,
			phase,
			cohort: 'ai',
			stats: momentsOf(Array.from({ length: 30 }, () => mean * (1 + 0.3 * random.normal())))
		});
		if (control && phase === 'baseline') {
			points.push({
				day,
				phase,
				cohort: 'control',
				stats: momentsOf(Array.from({ length: 30 }, () => 10 * (1 + 0.3 * random.normal())))
			});
		}
	}
	const total = (phase: 'baseline' | 'pilot') =>
		mergeAll(
			points
				.filter((p) => p.phase === phase && p.cohort === 'ai')
				.map((p) => p.stats as MomentStats)
		);
	return {
		metrics: {
			handling_time: {
				baseline: { ai: total('baseline'), control: null },
				pilot: { ai: total('pilot'), control: null }
			}
		},
		cases: { baseline: { ai: 600, control: 0 }, pilot: { ai: 630, control: 0 } },
		daily: { handling_time: points }
	};
}
const context = threeWeeksIn;

describe('a baseline that was already moving', () => {
	it('keeps measuring when the trend alone explains the gain, and says so', () => {
		const report = buildImpactReport(plan, stats(-0.012, 0), context);
		const drift = report.baselineDrift!;
		expect(report.metrics[0].verdict).toBe('improved');
		expect(drift.trendReachesTarget).toBe(true);
		expect(drift.changeNetOfTrend!).toBeGreaterThan(-0.1);
		expect(report.recommendation.rule).toBe('baseline-trend');
		expect(report.recommendation.decision).toBe('keep_measuring');
		const reasons = report.recommendation.reasons.join(' ');
		expect(reasons).toMatch(
			/the baseline was already moving that way: net of its trend the change would be/
		);
		expect(reasons).toMatch(/The baseline was already falling \d+(\.\d+)?% a week/);
		expect(reasons).toMatch(/Add a control cohort/);
	});

	it('scales a real gain on a flat baseline', () => {
		const report = buildImpactReport(plan, stats(0, -0.2), context);
		expect(report.baselineDrift!.trendReachesTarget).toBe(false);
		expect(report.baselineDrift!.sentences.trend).toMatch(/no clear trend/);
		expect(report.recommendation.decision).toBe('scale');
	});

	it('scales a gain that stands beyond the trend', () => {
		const report = buildImpactReport(plan, stats(-0.003, -0.3), context);
		expect(report.recommendation.decision).toBe('scale');
	});

	it('checks parallel trends with a control cohort', () => {
		const report = buildImpactReport(plan, stats(-0.012, 0, true), context);
		expect(report.baselineDrift!.parallelTrends?.parallel).toBe(false);
		expect(report.baselineDrift!.sentences.parallelTrends).toMatch(/not moving in parallel/);
	});

	it('states the weekday mix', () => {
		const report = buildImpactReport(plan, stats(0, -0.2), context);
		expect(report.baselineDrift!.sentences.weekdayMix).toMatch(/weekday mix/);
		expect(Number.isFinite(report.baselineDrift!.weekdayMix.relative)).toBe(true);
	});
});
