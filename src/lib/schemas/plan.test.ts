import { describe, expect, it } from 'vitest';
import { planSchema, type PlanInput } from './plan';
import { emailTriage, satisfaction } from '../../../tests/support/plan-fixtures';

// The example definition of docs/api.md "Pilots".
const triage = emailTriage(0.01);
const example: PlanInput = {
	...triage,
	timezone: 'Europe/Madrid',
	metrics: [...triage.metrics, satisfaction(0.1)],
	minSamples: 30,
	evaluationGates: { correct: 0.95, sensitiveDataKept: 1.0 },
	charter: { problem: 'kept as is' },
	governance: { dataRead: 'kept as is' }
};

const minimal: PlanInput = {
	slug: 'minimal',
	name: 'Minimal',
	baselineWindow: example.baselineWindow,
	pilotWindow: example.pilotWindow,
	metrics: [
		{ key: 'aht', kind: 'mean', measure: 'minutes', direction: 'decrease', role: 'primary' }
	]
};

function issues(input: unknown): { path: string; message: string }[] {
	const result = planSchema.safeParse(input);
	if (result.success) return [];
	return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('planSchema', () => {
	it('accepts the docs/api.md example and keeps charter and governance', () => {
		const plan = planSchema.parse(example);
		expect(plan.metrics).toHaveLength(5);
		expect(plan.charter).toEqual({ problem: 'kept as is' });
	});

	it('needs only slug, name, windows and metrics; minSamples defaults to 30', () => {
		const plan = planSchema.parse(minimal);
		expect(plan.minSamples).toBe(30);
		expect(plan.economics).toBeUndefined();
		const second = planSchema.parse({
			...minimal,
			metrics: [...minimal.metrics, { key: 'b', kind: 'mean', measure: 'y', direction: 'increase' }]
		});
		expect(second.metrics[1].role).toBe('secondary');
	});

	const metric = (over: Record<string, unknown>): PlanInput => ({
		...minimal,
		metrics: [
			{
				key: 'm',
				kind: 'mean',
				measure: 'x',
				direction: 'decrease',
				role: 'primary',
				...over
			} as never
		]
	});

	it.each<[string, unknown, string, RegExp]>([
		[
			'a ratio without numerator',
			metric({ kind: 'ratio', measure: undefined, denominator: 'y' }),
			'metrics.0.numerator',
			/needs a numerator/
		],
		[
			'a ratio without denominator',
			metric({ kind: 'ratio', measure: undefined, numerator: 'y' }),
			'metrics.0.denominator',
			/needs a denominator/
		],
		[
			'a mean without measure',
			metric({ measure: undefined }),
			'metrics.0.measure',
			/needs the measure/
		],
		[
			'a quantile of 1',
			metric({ kind: 'quantile', quantile: 1 }),
			'metrics.0.quantile',
			/strictly between 0 and 1/
		],
		[
			'a quantile without quantile',
			metric({ kind: 'quantile' }),
			'metrics.0.quantile',
			/strictly between 0 and 1/
		],
		[
			'a guardrail without tolerance',
			metric({ role: 'guardrail' }),
			'metrics.0.tolerance',
			/needs a tolerance/
		],
		[
			'a negative tolerance',
			metric({ role: 'guardrail', tolerance: { absolute: -1 } }),
			'metrics.0.tolerance',
			/positive size/
		],
		[
			'a target in the wrong direction',
			metric({ target: { relative: 0.2 } }),
			'metrics.0.target',
			/negative for a metric that should decrease/
		],
		[
			'a staff-time metric in seconds',
			metric({ staffTime: true, unit: 's' }),
			'metrics.0.unit',
			/"min" or "h"/
		],
		[
			'a window that ends before it starts',
			{ ...minimal, pilotWindow: { start: '2026-10-22T00:00:00Z', end: '2026-10-01T00:00:00Z' } },
			'pilotWindow.end',
			/end after it starts/
		],
		[
			'a date-time without offset',
			{ ...minimal, pilotWindow: { start: '2026-10-01T00:00:00', end: '2026-10-22T00:00:00Z' } },
			'pilotWindow.start',
			/Z or an offset/
		],
		[
			'overlapping windows',
			{
				...minimal,
				pilotWindow: { start: '2026-09-20T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' }
			},
			'pilotWindow.start',
			/after the baseline window ends/
		],
		[
			'an unknown time zone',
			{ ...minimal, timezone: 'Mars/Olympus' },
			'timezone',
			/IANA time zone/
		],
		['no metrics', { ...minimal, metrics: [] }, 'metrics', /at least one metric/],
		[
			'no primary metric (the plan page and the API share the rule)',
			metric({ role: 'secondary' }),
			'metrics',
			/exactly one metric as primary/
		],
		[
			'a measure named valueOf',
			metric({ measure: 'valueOf' }),
			'metrics.0.measure',
			/every object/
		],
		['a measure named toString', metric({ measure: 'toString' }), 'metrics.0.measure', /every/],
		[
			'a numerator named constructor',
			metric({ kind: 'ratio', measure: undefined, numerator: 'constructor', denominator: 'y' }),
			'metrics.0.numerator',
			/every object/
		],
		[
			'a denominator named hasOwnProperty',
			metric({ kind: 'ratio', measure: undefined, numerator: 'x', denominator: 'hasOwnProperty' }),
			'metrics.0.denominator',
			/every object/
		],
		['a measure named __proto__', metric({ measure: '__proto__' }), 'metrics.0.measure', /letter/],
		['a metric keyed toString', metric({ key: 'toString' }), 'metrics.0.key', /every object/],
		[
			'an evaluation gate named valueOf',
			{ ...minimal, evaluationGates: { valueOf: 0.9 } },
			'evaluationGates.valueOf',
			/every object/
		],
		['a bad slug', { ...minimal, slug: 'Email Triage' }, 'slug', /lowercase/],
		[
			'time recapture above 1',
			{ ...minimal, economics: { timeRecapture: 1.5 } },
			'economics.timeRecapture',
			/between 0 and 1/
		]
	])('rejects %s', (_name, input, path, message) => {
		const found = issues(input);
		expect(found.some((i) => i.path === path && message.test(i.message))).toBe(true);
	});

	it('rejects two primary metrics and duplicate keys, naming them', () => {
		const found = issues({
			...minimal,
			metrics: [
				{ key: 'a', kind: 'mean', measure: 'x', direction: 'decrease', role: 'primary' },
				{ key: 'a', kind: 'mean', measure: 'y', direction: 'decrease', role: 'primary' }
			]
		});
		expect(found).toContainEqual({
			path: 'metrics.1.key',
			message: 'metric key "a" is used twice'
		});
		expect(found.some((i) => /only one metric can be primary.*a, a/.test(i.message))).toBe(true);
	});
});
