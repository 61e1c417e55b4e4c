import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planSchema, type PlanDefinition } from '../schemas/plan';
import { emailTriage } from '../../../tests/support/plan-fixtures';
import type { OutcomeEvent } from '../schemas/event';
import { StatsAccumulator, checkEvent } from './accumulate';
import { buildImpactReport } from './impact-report';
import { seededRandom } from './random';
import { valuesOf } from './sufficient-stats';
import { expectFiniteNumbers } from '../../../tests/support/finite';

const plan: PlanDefinition = planSchema.parse({
	...emailTriage(0.1),
	evaluationGates: { correct: 0.9 }
});

/** Deterministic events: handling time 14 → 10 min for the AI cohort, 14 → 13 for control. */
function events(): OutcomeEvent[] {
	const random = seededRandom(7);
	const out: OutcomeEvent[] = [];
	const add = (
		phase: 'baseline' | 'pilot',
		cohort: 'ai' | 'control',
		count: number,
		mean: number
	): void => {
		const start = Date.parse(
			phase === 'baseline' ? '2026-09-01T00:00:00Z' : '2026-10-01T00:00:00Z'
		);
		for (let i = 0; i < count; i++) {
			out.push({
				id: `${phase}-${cohort}-${i}`,
				occurredAt: new Date(start + (i % 20) * 86_400_000 + 3_600_000).toISOString(),
				cohort,
				measures: {
					handling_minutes: mean + 3 * random.normal(),
					error: random.uniform() < 0.05 ? 1 : 0,
					cost_eur: 3 + random.uniform(),
					resolved: random.uniform() < 0.8 ? 1 : 0,
					first_response_minutes: random.exponential(mean * 3)
				}
			});
		}
	};
	add('baseline', 'ai', 400, 14);
	add('pilot', 'ai', 300, 10);
	add('baseline', 'control', 200, 14);
	add('pilot', 'control', 150, 13);
	return out;
}

function accumulate(list: OutcomeEvent[]): StatsAccumulator {
	const acc = new StatsAccumulator(plan);
	for (const event of list) {
		const checked = checkEvent(plan, event);
		if (checked.phase === null) throw new Error(JSON.stringify(checked.issues));
		acc.add(event, checked.phase);
	}
	return acc;
}

const context = {
	generatedAt: '2026-10-21T08:00:00Z',
	stage: 'running',
	pilotDaysElapsed: 20,
	evaluation: { criteria: { correct: { passed: 396, total: 400 } } },
	governanceMissing: []
};

describe('buildImpactReport', () => {
	const report = buildImpactReport(plan, accumulate(events()).stats(), context);
	const handling = report.metrics[0];

	it('has the docs/api.md shape', () => {
		expect(report.pilot).toEqual({
			slug: 'email-triage',
			name: 'Email triage assistant',
			stage: 'running'
		});
		expect(report.generatedAt).toBe('2026-10-21T08:00:00Z');
		expect(Object.keys(handling)).toEqual(
			expect.arrayContaining([
				'key',
				'kind',
				'direction',
				'role',
				'baseline',
				'pilot',
				'absoluteChange',
				'relativeChange',
				'verdict',
				'meetsTarget'
			])
		);
		expect(Object.keys(report.economics)).toEqual(
			expect.arrayContaining([
				'currency',
				'benefitToDate',
				'costToDate',
				'netToDate',
				'annualNetBenefit',
				'roi',
				'paybackMonths'
			])
		);
		expect(Object.keys(report.recommendation)).toEqual(
			expect.arrayContaining(['decision', 'reasons'])
		);
		expectFiniteNumbers(report);
	});

	it('compares the AI cohort only and adjusts for the control cohort', () => {
		expect(report.cases).toEqual({
			baseline: { ai: 400, control: 200 },
			pilot: { ai: 300, control: 150 }
		});
		expect(handling.baseline).toMatchObject({ n: 400, source: 'events' });
		expect(handling.baseline.value).toBeCloseTo(14, 0);
		expect(handling.pilot.value).toBeCloseTo(10, 0);
		expect(handling.verdict).toBe('improved');
		expect(handling.meetsTarget).toBe(true);
		const did = handling.differenceInDifferences!;
		expect(Math.abs(did.controlChange + 1)).toBeLessThan(1);
		expect(did.change.estimate).toBeCloseTo(
			handling.absoluteChange!.estimate - did.controlChange,
			12
		);
		expect(did.change.ci95![1] - did.change.ci95![0]).toBeGreaterThan(
			handling.absoluteChange!.ci95![1] - handling.absoluteChange!.ci95![0]
		);
	});

	it('reports every metric kind, a guardrail status and a recommendation', () => {
		const [, errors, ratio, p90] = report.metrics;
		expect(errors.guardrail).toBe('holds');
		expect(ratio.baseline.value).toBeGreaterThan(3);
		expect(p90.baseline.value).toBeGreaterThan(p90.pilot.value!);
		expect(p90.absoluteChange!.ci95).not.toBeNull();
		expect(report.evaluationGates[0].status).toBe('passed');
		expect(report.recommendation.decision).toBe('scale');
		expect(report.economics.annualNetBenefit).toBeGreaterThan(0);
	});

	it('per-day accumulation equals all at once', () => {
		const all = events();
		const byDay = new Map<string, OutcomeEvent[]>();
		for (const e of all)
			byDay.set(e.occurredAt.slice(0, 10), [...(byDay.get(e.occurredAt.slice(0, 10)) ?? []), e]);
		const once = accumulate(all).stats();
		const reversed = accumulate([...byDay.values()].reverse().flat()).stats();
		const a = once.metrics.handling_time.pilot.ai!;
		const b = reversed.metrics.handling_time.pilot.ai!;
		expect(a.type === 'moments' && b.type === 'moments' && Math.abs(a.sum - b.sum) < 1e-9).toBe(
			true
		);
	});

	it('uses a baseline summary when there are no baseline events, labelled as such', () => {
		const pilotOnly = events().filter((e) => e.id.startsWith('pilot'));
		const stats = {
			...accumulate(pilotOnly).stats(),
			baselineSummaries: {
				handling_time: { n: 180, mean: 14.2, sd: 6.1, source: 'Zendesk export, September' }
			}
		};
		const r = buildImpactReport(plan, stats, context);
		expect(r.metrics[0].baseline).toEqual({
			n: 180,
			value: expect.closeTo(14.2, 10),
			source: 'summary',
			sourceNote: 'Zendesk export, September'
		});
		expect(r.metrics[1].baseline).toEqual({ n: 0, value: null, source: null });
		expect(r.metrics[1].verdict).toBe('insufficient_data');
	});

	it('keeps measuring with cases and days still needed when the pilot is young', () => {
		const young = events().filter(
			(e) => !e.id.startsWith('pilot') || Number(e.id.split('-')[2]) < 12
		);
		const r = buildImpactReport(plan, accumulate(young).stats(), {
			...context,
			pilotDaysElapsed: 2
		});
		expect(r.metrics[0].verdict).toBe('insufficient_data');
		expect(r.metrics[0].power!.pilotCasesNeeded).toBeGreaterThan(0);
		expect(r.recommendation.decision).toBe('keep_measuring');
		expect(r.recommendation.reasons[0]).toMatch(/more pilot cases \(about \d+ days/);
	});

	it('names missing economics and governance instead of assuming them', () => {
		const bare = planSchema.parse({ ...plan, economics: undefined, evaluationGates: undefined });
		const r = buildImpactReport(bare, accumulate(events()).stats(), {
			...context,
			governanceMissing: undefined
		});
		expect(r.economics.benefitToDate).toBeNull();
		expect(r.economics.missing).toContain('hourly cost not set');
		expect(r.recommendation).toMatchObject({
			decision: 'correct',
			rule: 'evaluation-or-governance'
		});
	});
});

describe('checkEvent', () => {
	const event = (over: Partial<OutcomeEvent>): OutcomeEvent => ({
		id: 'x',
		occurredAt: '2026-10-03T09:14:00+02:00',
		cohort: 'ai',
		measures: { handling_minutes: 7 },
		...over
	});
	it.each<[string, Partial<OutcomeEvent>, string, RegExp]>([
		['outside both windows', { occurredAt: '2026-11-01T00:00:00Z' }, 'occurredAt', /outside both/],
		['a phase that disagrees', { phase: 'baseline' }, 'phase', /disagrees with the windows/],
		[
			'an unknown measure',
			{ measures: { handling_minute: 7 } },
			'measures.handling_minute',
			/not a measure of any metric/
		],
		['a proportion measure of 2', { measures: { error: 2 } }, 'measures.error', /must be 0 or 1/]
	])('rejects %s', (_name, over, path, message) => {
		const result = checkEvent(plan, event(over));
		expect(result.phase).toBeNull();
		expect(result.issues.some((i) => i.path === path && message.test(i.message))).toBe(true);
	});
	it('places an event at the window boundary in the later window', () => {
		expect(checkEvent(plan, event({ occurredAt: '2026-10-01T00:00:00+02:00' })).phase).toBe(
			'pilot'
		);
	});
});

describe('buildImpactReport on arbitrary statistics', () => {
	it('never prints NaN or Infinity', () => {
		const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
		const moments = fc
			.tuple(fc.nat({ max: 50 }), anyDouble, anyDouble)
			.map(([n, sum, sumSquares]) => ({ type: 'moments' as const, n, sum, sumSquares }));
		const ratio = fc
			.tuple(fc.nat({ max: 50 }), anyDouble, anyDouble, anyDouble, anyDouble, anyDouble)
			.map(([n, sumX, sumY, sumX2, sumY2, sumXY]) => ({
				type: 'ratio' as const,
				n,
				sumX,
				sumY,
				sumX2,
				sumY2,
				sumXY
			}));
		const values = fc.array(anyDouble, { maxLength: 40 }).map(valuesOf);
		const cohort = <T>(arb: fc.Arbitrary<T>) =>
			fc.record({ ai: fc.option(arb), control: fc.option(arb) });
		const phases = <T>(arb: fc.Arbitrary<T>) =>
			fc.record({ baseline: cohort(arb), pilot: cohort(arb) });
		fc.assert(
			fc.property(
				phases(moments),
				phases(moments),
				phases(ratio),
				phases(values),
				fc.nat({ max: 1000 }),
				fc.option(fc.double({ min: 0, max: 400, noNaN: true })),
				(handling, errors, ratios, p90, pilotCases, days) => {
					const report = buildImpactReport(
						plan,
						{
							metrics: {
								handling_time: handling,
								error_rate: errors,
								cost_per_resolved: ratios,
								first_response_p90: p90
							},
							cases: { baseline: { ai: 10, control: 0 }, pilot: { ai: pilotCases, control: 0 } }
						},
						{ ...context, pilotDaysElapsed: days }
					);
					expectFiniteNumbers(report);
					expect(report.recommendation.reasons.join(' ')).not.toMatch(/NaN|Infinity|undefined/);
				}
			),
			{ numRuns: 300 }
		);
	});
});
