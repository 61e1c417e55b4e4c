import { describe, expect, it } from 'vitest';
import { planSchema, type PlanDefinition } from '../schemas/plan';
import {
	errorRate,
	handlingTime,
	p90,
	threeWeekPlan,
	threeWeeksIn
} from '../../../tests/support/plan-fixtures';
import { buildImpactReport, type PilotStats } from './impact-report';
import { MAX_SEGMENTS, segmentBreakdown, type SegmentStats } from './segments';
import { resolveSettings } from './settings';
import type { MomentStats } from './sufficient-stats';

const sample = (n: number, mean: number, sd: number): MomentStats => ({
	type: 'moments',
	n,
	sum: n * mean,
	sumSquares: (n - 1) * sd * sd + n * mean * mean
});
const rate = (n: number, p: number): MomentStats => ({
	type: 'moments',
	n,
	sum: Math.round(n * p),
	sumSquares: Math.round(n * p)
});

const plan: PlanDefinition = planSchema.parse(
	threeWeekPlan('Segments', 2000, 3000, [
		handlingTime(-0.1, 'minutes'),
		{ ...errorRate(0.02), label: 'Errors' },
		p90('p90', 'wait')
	])
);
const settings = resolveSettings({ minSamples: 30 });
const primary = plan.metrics[0];
const errors = plan.metrics[1];

/** Four segments of 500 + 500 cases: handling time −20% each, errors 3% → 3%, except `billing`. */
function segmentStats(billingErrors: number, billingChange = -0.2): SegmentStats {
	const out: Record<string, SegmentStats[string]> = {};
	for (const name of ['billing', 'technical', 'account', 'shipping']) {
		const change = name === 'billing' ? billingChange : -0.2;
		out[name] = {
			handling_time: { baseline: sample(500, 10, 4), pilot: sample(500, 10 * (1 + change), 4) },
			error_rate: {
				baseline: rate(500, 0.03),
				pilot: rate(500, name === 'billing' ? billingErrors : 0.03)
			}
		};
	}
	return out;
}

function pilotStats(segments: SegmentStats): PilotStats {
	const merge = (key: 'handling_time' | 'error_rate', phase: 'baseline' | 'pilot'): MomentStats => {
		const parts = Object.values(segments).map((s) => s[key][phase] as MomentStats);
		return {
			type: 'moments',
			n: parts.reduce((a, p) => a + p.n, 0),
			sum: parts.reduce((a, p) => a + p.sum, 0),
			sumSquares: parts.reduce((a, p) => a + p.sumSquares, 0)
		};
	};
	return {
		metrics: {
			handling_time: {
				baseline: { ai: merge('handling_time', 'baseline'), control: null },
				pilot: { ai: merge('handling_time', 'pilot'), control: null }
			},
			error_rate: {
				baseline: { ai: merge('error_rate', 'baseline'), control: null },
				pilot: { ai: merge('error_rate', 'pilot'), control: null }
			}
		},
		cases: { baseline: { ai: 2000, control: 0 }, pilot: { ai: 2000, control: 0 } },
		segments
	};
}
const context = threeWeeksIn;

describe('segmentBreakdown', () => {
	it('judges each segment on Holm-adjusted anytime intervals', () => {
		const b = segmentBreakdown(primary, segmentStats(0.03), 2000, settings)!;
		expect(b.segments.map((s) => s.segment)).toEqual([
			'account',
			'billing',
			'shipping',
			'technical'
		]);
		for (const s of b.segments) {
			expect(s.decisionInterval).toMatchObject({
				adjustment: 'holm',
				familySize: 4,
				method: 'confidence_sequence'
			});
			expect(s.verdict).toBe('improved');
			expect(s.differs?.flagged).toBe(false);
		}
		const shares = b.segments.map((s) => s.shareOfChange!);
		expect(shares.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
	});

	it('flags a segment whose change differs from the rest', () => {
		const b = segmentBreakdown(primary, segmentStats(0.03, 0.1), 2000, settings)!;
		const flagged = b.segments.filter((s) => s.differs?.flagged);
		expect(flagged.map((s) => s.segment)).toEqual(['billing']);
		expect(flagged[0].differs!.estimate).toBeCloseTo(3, 10);
		expect(flagged[0].differs!.ci95![0]).toBeGreaterThan(0);
	});

	it('pools small segments, and any beyond the largest eight, as "other"', () => {
		const stats: Record<string, SegmentStats[string]> = {};
		for (let i = 0; i < MAX_SEGMENTS + 2; i++) {
			stats[`team ${i}`] = {
				handling_time: { baseline: sample(100 - i, 10, 4), pilot: sample(100 - i, 8, 4) }
			};
		}
		stats.tiny = { handling_time: { baseline: sample(5, 10, 4), pilot: sample(5, 8, 4) } };
		const b = segmentBreakdown(primary, stats, 2000, settings)!;
		expect(b.segments).toHaveLength(MAX_SEGMENTS + 1);
		const other = b.segments.at(-1)!;
		expect(other.segment).toBe('other');
		expect(other.pooled).toEqual(['team 8', 'team 9', 'tiny']);
		expect(other.baseline.n).toBe(92 + 91 + 5);
	});

	it('leaves out quantile and secondary metrics', () => {
		expect(segmentBreakdown(plan.metrics[2], segmentStats(0.03), 2000, settings)).toBeNull();
	});
});

describe('segments in the recommendation', () => {
	it('names a segment that breaches a guardrail although the total does not', () => {
		const report = buildImpactReport(plan, pilotStats(segmentStats(0.09)), context);
		expect(report.metrics[1].guardrail).not.toBe('breached');
		const billing = report.segments
			.find((b) => b.metricKey === errors.key)!
			.segments.find((s) => s.segment === 'billing')!;
		expect(billing.guardrail).toBe('breached');
		expect(report.recommendation.decision).toBe('correct');
		expect(report.recommendation.reasons.join(' ')).toMatch(
			/Guardrail Errors is breached in segment billing: it changed by \+0\.06 \(anytime 95% interval, Holm-adjusted for 4 tests \+0\.0\d+ to \+0\.\d+\), beyond the tolerance of \+0\.02/
		);
	});

	it('says where the gain comes from when it scales', () => {
		const report = buildImpactReport(plan, pilotStats(segmentStats(0.03)), context);
		expect(report.recommendation.decision).toBe('scale');
		expect(report.recommendation.reasons.join(' ')).toMatch(
			/The gain is spread across segments: account 25%, billing 25%, shipping 25%, technical 25%\./
		);
	});
});
