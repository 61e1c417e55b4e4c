import { describe, expect, it } from 'vitest';
import type { DecisionInterval } from './decision-interval';
import type { EconomicsResult } from './economics';
import type { GateResult } from './evaluation-gates';
import type { PowerResult } from './power';
import type { Decision, MetricReport } from './report-types';
import { DEFAULT_RULES, recommend, type RecommendationFacts } from './recommendation';

type Triple = [estimate: number, lower: number, upper: number];
const change = ([estimate, lo, hi]: Triple) => ({
	estimate,
	ci95: [lo, hi] as const,
	pValue: 0.01,
	standardError: 1,
	df: 100
});

/** The decision interval of a fixture: here the same triples as its changes. */
const decision = (abs: Triple | null, rel: Triple | null): DecisionInterval => ({
	method: 'confidence_sequence',
	tuningCases: 2400,
	adjustment: 'none',
	familySize: 1,
	alpha: 0.05,
	pValueAdjusted: 0.01,
	absoluteChange: abs === null ? null : { ci95: [abs[1], abs[2]], pValue: 0.01 },
	relativeChange: rel === null ? null : { ci95: [rel[1], rel[2]], pValue: 0.01 }
});

const power: PowerResult = {
	minimumDetectableEffect: 1.2,
	minimumDetectableRelativeEffect: 0.08,
	pilotCasesNeeded: 420,
	baselineCasesNeeded: 0,
	daysNeeded: 9,
	reasons: []
};

/** Handling time (decrease is good, target −20%), 14 min at baseline. */
function primary(over: Partial<MetricReport> & { rel?: Triple } = {}): MetricReport {
	const rel = over.rel ?? [-0.3, -0.35, -0.25];
	const abs: Triple = [14 * rel[0], 14 * rel[1], 14 * rel[2]];
	return {
		key: 'handling_time',
		kind: 'mean',
		direction: 'decrease',
		role: 'primary',
		baseline: { n: 1200, value: 14, source: 'events' },
		pilot: { n: 900, value: 14 * (1 + rel[0]) },
		absoluteChange: change(abs),
		relativeChange: change(rel),
		decisionInterval: decision(abs, rel),
		verdict: 'improved',
		meetsTarget: true,
		label: 'Handling time',
		unit: 'min',
		target: { relative: -0.2 },
		tolerance: null,
		guardrail: null,
		differenceInDifferences: null,
		power: null,
		reasons: [],
		...over
	};
}

/** Error rate guardrail (decrease is good, tolerance +0.01 absolute). */
function guardrail(status: 'holds' | 'breached' | 'unclear', abs: Triple): MetricReport {
	return {
		...primary(),
		key: 'error_rate',
		kind: 'proportion',
		role: 'guardrail',
		label: 'Error rate',
		unit: null,
		target: null,
		tolerance: { absolute: 0.01 },
		absoluteChange: change(abs),
		relativeChange: null,
		decisionInterval: decision(abs, null),
		verdict: abs[1] > 0 ? 'worsened' : 'no_detectable_change',
		meetsTarget: null,
		guardrail: status,
		power: status === 'unclear' ? power : null
	};
}

const goodEconomics: EconomicsResult = {
	currency: 'EUR',
	benefitToDate: 5000,
	costToDate: 13000,
	netToDate: -8000,
	annualNetBenefit: 57840,
	roi: 1.9,
	paybackMonths: 2.5,
	intervals: {
		benefitToDate: [3000, 7000],
		netToDate: [-10000, -6000],
		annualNetBenefit: [30000, 80000],
		roi: [1, 3],
		paybackMonths: [1.8, 4.8]
	},
	hoursSavedToDate: null,
	benefitPerCase: null,
	perMetric: [],
	missing: []
};

const passedGate: GateResult = {
	criterion: 'correct',
	threshold: 0.95,
	status: 'passed',
	passRate: 0.99,
	wilsonLower: 0.96,
	total: 400
};

const base: RecommendationFacts = {
	primary: primary(),
	guardrails: [guardrail('holds', [0.001, -0.004, 0.006])],
	gates: [passedGate],
	governanceMissing: [],
	economics: goodEconomics
};

// docs/design.md "The recommendation": rules 1–9, first match wins.
const scenarios: [
	name: string,
	facts: Partial<RecommendationFacts>,
	decision: Decision,
	rule: string,
	cites: RegExp
][] = [
	[
		'1: no primary metric',
		{ primary: null },
		'keep_measuring',
		'no-primary-or-baseline',
		/No primary metric/
	],
	[
		'1: no baseline for the primary',
		{ primary: primary({ baseline: { n: 0, value: null, source: null } }) },
		'keep_measuring',
		'no-primary-or-baseline',
		/No baseline for the primary metric Handling time/
	],
	[
		'2: a guardrail breached wins over a great primary',
		{ guardrails: [guardrail('breached', [0.03, 0.02, 0.04])] },
		'correct',
		'guardrail-breached',
		/Error rate is breached: .*\+0\.03.*tolerance of \+0\.01/
	],
	[
		'3: primary worsened',
		{ primary: primary({ verdict: 'worsened', meetsTarget: false, rel: [0.1, 0.05, 0.15] }) },
		'discard',
		'primary-worsened',
		/got worse: \+10%/
	],
	[
		'4: primary insufficient data',
		{
			primary: primary({
				verdict: 'insufficient_data',
				meetsTarget: false,
				pilot: { n: 12, value: 10 },
				power,
				reasons: ['below_min_samples']
			})
		},
		'keep_measuring',
		'not-enough-evidence',
		/12 pilot cases.*about 420 more pilot cases \(about 9 days/
	],
	[
		'4: CI contains 0 and the target',
		{
			primary: primary({
				verdict: 'no_detectable_change',
				meetsTarget: false,
				rel: [-0.1, -0.25, 0.05],
				power
			})
		},
		'keep_measuring',
		'not-enough-evidence',
		/contains both no change and the target -20%/
	],
	[
		'4: a guardrail unclear',
		{ guardrails: [guardrail('unclear', [0.004, -0.01, 0.018])] },
		'keep_measuring',
		'not-enough-evidence',
		/Error rate is unclear/
	],
	[
		'5: improved but surely short of the target',
		{ primary: primary({ meetsTarget: false, rel: [-0.1, -0.15, -0.05] }) },
		'correct',
		'surely-below-target',
		/improved: -10%.*surely short of the target -20%/
	],
	[
		'5: no detectable change, surely short of the target',
		{
			primary: primary({
				verdict: 'no_detectable_change',
				meetsTarget: false,
				rel: [0.01, -0.05, 0.07]
			})
		},
		'discard',
		'no-change-short-of-target',
		/no detectable change/
	],
	[
		'6: a required evaluation criterion fails',
		{ gates: [{ ...passedGate, status: 'failed', passRate: 0.93, wilsonLower: 0.87, total: 120 }] },
		'correct',
		'evaluation-or-governance',
		/Evaluation criterion “Correct” fails: 93% of 120 passed, lower 95% bound 87%/
	],
	[
		'6: a gated criterion never tested',
		{ gates: [{ ...passedGate, status: 'untested', passRate: null, wilsonLower: null, total: 0 }] },
		'correct',
		'evaluation-or-governance',
		/Evaluation criterion “Correct” has not been tested/
	],
	[
		'6: a governance answer missing',
		{ governanceMissing: ['killSwitch'] },
		'correct',
		'evaluation-or-governance',
		/Governance answer missing: killSwitch/
	],
	[
		'6: governance never assessed',
		{ governanceMissing: null },
		'correct',
		'evaluation-or-governance',
		/Governance has not been filled in/
	],
	[
		'7: net benefit negative',
		{ economics: { ...goodEconomics, annualNetBenefit: -1200 } },
		'correct',
		'net-benefit',
		/-1,200 EUR: the pilot costs more/
	],
	[
		'7: an input to value it missing',
		{ economics: { ...goodEconomics, annualNetBenefit: null, missing: ['hourly cost not set'] } },
		'correct',
		'net-benefit',
		/Cannot value the pilot: hourly cost not set/
	],
	[
		'8: improved and meets the target',
		{},
		'scale',
		'scale',
		/improved by -30%.*reaching the target -20%/
	],
	[
		'9: improved, target inside the CI, estimate short of it',
		{ primary: primary({ meetsTarget: false, rel: [-0.15, -0.25, -0.05] }) },
		'keep_measuring',
		'otherwise',
		/not yet shown that it reaches the target/
	],
	[
		'9: a primary without target',
		{ primary: primary({ target: null, meetsTarget: null }) },
		'keep_measuring',
		'otherwise',
		/has no target/
	]
];

describe('recommend (docs/design.md rules as data)', () => {
	it.each(scenarios)('%s → %s', (_name, over, decision, rule, cites) => {
		const result = recommend({ ...base, ...over });
		expect(result.decision).toBe(decision);
		expect(result.rule).toBe(rule);
		expect(result.reasons.join(' ')).toMatch(cites);
	});

	it('keeps the rules in docs/design.md order, tunable as a list', () => {
		expect(DEFAULT_RULES.map((r) => r.decision)).toEqual([
			'keep_measuring',
			'correct',
			'discard',
			'keep_measuring',
			'correct',
			'discard',
			'correct',
			'correct',
			'keep_measuring',
			'scale',
			'keep_measuring'
		]);
		const lenient = DEFAULT_RULES.filter((r) => r.id !== 'evaluation-or-governance');
		expect(recommend({ ...base, governanceMissing: null }, lenient).decision).toBe('scale');
	});
});

/** Conversion rate (increase is good, target +20% relative), 10% at baseline. */
function rising(rel: Triple, verdict: MetricReport['verdict'], meetsTarget: boolean): MetricReport {
	return primary({
		key: 'conversion',
		kind: 'proportion',
		direction: 'increase',
		label: 'Conversion',
		unit: null,
		target: { relative: 0.2 },
		baseline: { n: 1200, value: 0.1, source: 'events' },
		pilot: { n: 900, value: 0.1 * (1 + rel[0]) },
		verdict,
		meetsTarget,
		rel
	});
}

// Each rule that reads an interval, in both directions and exactly at its boundaries: a rule
// that tests the wrong end, or drops one of its conditions, fails one of these rows.
describe('interval rules in both directions, at their boundaries', () => {
	const rows: [string, MetricReport, string][] = [
		// Rule 4 (contains both 0 and the target) — inclusive at both ends.
		[
			'decrease: CI exactly [target, 0]',
			primary({ verdict: 'no_detectable_change', meetsTarget: false, rel: [-0.1, -0.2, 0] }),
			'not-enough-evidence'
		],
		[
			'increase: CI exactly [0, target]',
			rising([0.1, 0, 0.2], 'no_detectable_change', false),
			'not-enough-evidence'
		],
		[
			'increase: CI holds 0 but stops short of the target',
			rising([0.03, -0.05, 0.19], 'no_detectable_change', false),
			'no-change-short-of-target'
		],
		[
			'decrease: CI holds 0 but stops short of the target',
			primary({ verdict: 'no_detectable_change', meetsTarget: false, rel: [-0.03, -0.19, 0.05] }),
			'no-change-short-of-target'
		],
		// Rule 5 (surely short) — strict: touching the target is not "surely short".
		[
			'decrease: improved, CI lower end just above the target',
			primary({ meetsTarget: false, rel: [-0.12, -0.19999, -0.05] }),
			'surely-below-target'
		],
		[
			'decrease: improved, CI lower end at the target',
			primary({ meetsTarget: false, rel: [-0.12, -0.2, -0.05] }),
			'otherwise'
		],
		[
			'increase: improved, CI upper end just below the target',
			rising([0.12, 0.05, 0.19999], 'improved', false),
			'surely-below-target'
		],
		[
			'increase: improved, CI upper end at the target',
			rising([0.12, 0.05, 0.2], 'improved', false),
			'otherwise'
		],
		[
			'increase: improved, CI from above 0 past the target',
			rising([0.15, 0.05, 0.25], 'improved', false),
			'otherwise'
		],
		['increase: improved and meets the target', rising([0.3, 0.2, 0.4], 'improved', true), 'scale'],
		[
			'increase: no change, CI entirely below the target',
			rising([0.01, -0.05, 0.07], 'no_detectable_change', false),
			'no-change-short-of-target'
		]
	];
	it.each(rows)('%s → %s', (_name, metric, rule) => {
		expect(recommend({ ...base, primary: metric }).rule).toBe(rule);
	});

	it('judge on the decision interval, not the fixed-horizon one', () => {
		// Fixed-horizon CI surely short of the target, anytime interval reaching past it.
		const metric: MetricReport = {
			...primary({ meetsTarget: false, rel: [-0.12, -0.15, -0.09] }),
			decisionInterval: decision([-1.7, -3.4, -0.1], [-0.12, -0.24, -0.01])
		};
		const result = recommend({ ...base, primary: metric });
		expect(result.rule).toBe('otherwise');
		expect(result.reasons.join(' ')).toMatch(/anytime 95% interval -24% to -1%/);
	});
});
