import { describe, expect, test } from 'vitest';
import type { MetricDefinition } from '../schemas/plan';
import { metricObservation } from './accumulate';

const metric = (fields: Partial<MetricDefinition>): MetricDefinition =>
	({
		key: 'm',
		kind: 'mean',
		direction: 'decrease',
		role: 'secondary',
		...fields
	}) as MetricDefinition;

describe('metricObservation reads own measures only', () => {
	test.each(['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'])(
		'an event without "%s" has no observation of it',
		(name) => {
			expect(metricObservation(metric({ measure: name }), { x: 1 })).toBeNull();
			expect(
				metricObservation(metric({ kind: 'ratio', numerator: 'x', denominator: name }), { x: 1 })
			).toBeNull();
		}
	);

	test('an own measure of that name is read as the number it is', () => {
		const measures = JSON.parse('{"valueOf": 3}') as Record<string, number>;
		expect(metricObservation(metric({ measure: 'valueOf' }), measures)).toEqual({ x: 3 });
	});
});
