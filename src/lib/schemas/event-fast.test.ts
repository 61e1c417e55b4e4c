import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchema } from './event';
import { readEventFast } from './event-fast';

// The fast reader must never accept what the schema refuses, and must agree with it on
// everything it accepts. Seeded, so a failure reproduces.
const text = fc.oneof(
	fc.string({ maxLength: 5 }),
	fc.string({ minLength: 195, maxLength: 205 }),
	fc.constantFrom('', '__proto__', 'baseline', 'pilot', 'ai', 'control', 'x')
);
const dateTime = fc.oneof(
	{
		arbitrary: fc
			.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
			.map((d) => d.toISOString()),
		weight: 6
	},
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.constantFrom(
		'2026-10-03T09:14:00+02:00',
		'2026-10-03T09:14:00.5-05:30',
		'2024-02-29T00:00:00Z',
		'2026-02-29T00:00:00Z',
		'2026-10-03T09:14:00',
		'2026-10-03 09:14:00Z',
		'2026-13-03T09:14:00Z',
		'2026-10-03T24:00:00Z',
		'2026-10-03T09:14:00+2:00'
	)
);
const anyValue = fc.oneof(
	fc.double(),
	fc.integer(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	text,
	fc.constantFrom(NaN, Infinity, -Infinity, '1', [], {})
);
/** Mostly the valid value, sometimes anything: inputs near the boundary of validity. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
	fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anyValue, weight: 1 });
const measures = fc.dictionary(
	fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), text),
	mostly(fc.oneof(fc.double(), fc.integer(), fc.boolean())),
	{ maxKeys: 6 }
);
const event = fc.record(
	{
		id: mostly(fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), text)),
		occurredAt: mostly(dateTime),
		phase: mostly(fc.constantFrom('baseline', 'pilot', 'Baseline')),
		segment: mostly(fc.string({ maxLength: 20 })),
		cohort: mostly(fc.constantFrom('ai', 'control', 'AI')),
		measures: mostly(measures),
		extra: anyValue
	},
	{ requiredKeys: [] }
);

describe('readEventFast', () => {
	it('accepts only what eventSchema accepts, with the same result', () => {
		let accepted = 0;
		fc.assert(
			fc.property(fc.oneof({ arbitrary: event, weight: 9 }, anyValue), (input) => {
				const fast = readEventFast(input);
				if (fast === null) return;
				accepted += 1;
				const slow = eventSchema.safeParse(input);
				expect(slow.success).toBe(true);
				expect(fast).toEqual(slow.data);
			}),
			{ numRuns: 5000, seed: 20261126 }
		);
		// The generators must reach the accepting side often enough to mean something.
		expect(accepted).toBeGreaterThan(400);
	});

	it('reads the common shape of an event itself', () => {
		const input = JSON.parse(
			'{"id":"case-1","occurredAt":"2026-10-03T09:14:00+02:00","segment":"email","measures":{"minutes":7.5,"error":false,"resolved":true}}'
		);
		expect(readEventFast(input)).toEqual({
			id: 'case-1',
			occurredAt: '2026-10-03T09:14:00+02:00',
			segment: 'email',
			cohort: 'ai',
			measures: { minutes: 7.5, error: 0, resolved: 1 }
		});
		expect(readEventFast({ ...input, cohort: 'control', phase: 'pilot' })).toMatchObject({
			cohort: 'control',
			phase: 'pilot'
		});
	});

	it('leaves whatever the schema must explain to the schema', () => {
		const base = { id: 'a', occurredAt: '2026-10-03T09:14:00Z', measures: {} };
		for (const bad of [
			{ ...base, id: '' },
			{ ...base, occurredAt: '2026-10-03T09:14:00' },
			{ ...base, measures: { x: '1' } },
			{ ...base, measures: { x: NaN } },
			{ ...base, measures: [] },
			{ ...base, cohort: 'AI' },
			JSON.parse('{"id":"a","occurredAt":"2026-10-03T09:14:00Z","measures":{"__proto__":1}}')
		]) {
			expect(readEventFast(bad)).toBeNull();
		}
	});
});
