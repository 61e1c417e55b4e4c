import { describe, expect, test } from 'vitest';
import { parsePlanForm, planToValues, type MetricRow, type PlanFormValues } from './plan-form';

const row = (fields: Partial<MetricRow>): MetricRow => ({
	...planToValues(null).metrics[0],
	direction: 'decrease',
	role: 'secondary',
	...fields
});

const values = (metrics: MetricRow[]): PlanFormValues => ({
	...planToValues(null),
	metrics: [...metrics, row({ direction: '', role: '' })]
});

const handling = row({
	key: 'handling_time',
	kind: 'mean',
	measure: 'handling_minutes',
	unit: 'min',
	role: 'primary',
	targetType: 'relative',
	targetValue: '-20',
	staffTime: 'on'
});

describe('the plan form', () => {
	test('reads percentages as shares and skips the blank row', () => {
		const parsed = parsePlanForm({
			...values([handling]),
			economics: { ...planToValues(null).economics, currency: 'eur', timeRecapture: '50' }
		});
		expect(parsed).toMatchObject({
			ok: true,
			plan: {
				metrics: [{ key: 'handling_time', target: { relative: -0.2 }, staffTime: true }],
				economics: { currency: 'EUR', timeRecapture: 0.5 },
				minSamples: 30
			}
		});
	});

	test('round-trips a stored plan', () => {
		const parsed = parsePlanForm(values([handling]));
		if (!parsed.ok) throw new Error('invalid');
		const again = parsePlanForm(planToValues(parsed.plan));
		expect(again).toEqual(parsed);
	});

	test.each([
		{
			name: 'no primary metric',
			metrics: [{ ...handling, role: 'secondary' }],
			field: 'metrics',
			message: /exactly one metric as primary/i
		},
		{
			name: 'two primaries',
			metrics: [handling, { ...handling, key: 'other' }],
			field: 'metrics',
			message: /only one metric can be primary/i
		},
		{
			name: 'a ratio without its denominator',
			metrics: [handling, row({ key: 'cost', kind: 'ratio', numerator: 'cost_eur' })],
			field: 'metrics.1.denominator',
			message: /needs a denominator/
		},
		{
			name: 'a quantile of 90',
			metrics: [handling, row({ key: 'p90', kind: 'quantile', measure: 'x', quantile: '90' })],
			field: 'metrics.1.quantile',
			message: /strictly between 0 and 1/
		},
		{
			name: 'a guardrail without tolerance',
			metrics: [
				handling,
				row({ key: 'errors', kind: 'proportion', measure: 'error', role: 'guardrail' })
			],
			field: 'metrics.1.tolerance',
			message: /needs a tolerance/
		},
		{
			name: 'a target typed without its kind',
			metrics: [{ ...handling, targetType: '' }],
			field: 'metrics.0.target',
			message: /% of baseline/
		},
		{
			name: 'a word where a number goes',
			metrics: [{ ...handling, valuePerUnit: 'lots' }],
			field: 'metrics.0.valuePerUnit',
			message: /not a number/
		}
	])('teaches: $name', ({ metrics, field, message }) => {
		const parsed = parsePlanForm(values(metrics));
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors[field]?.join(' ')).toMatch(message);
	});
});
