import fc from 'fast-check';
import { baselineStartMs, pilotEndMs, type Measures, type TestEvent } from './model';

// Random outcome events inside the fixture plan's windows. Measures are integers so that the
// reference model's sums are exact; ids range over printable text, control characters and
// any Unicode, because the id is the idempotency key and must compare exactly.

const idArb = fc
	.oneof(
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
		fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 24 }),
		fc.stringMatching(/^ticket-[0-9]{1,6}$/)
	)
	// NUL is the one character an id may not hold (PostgreSQL cannot store it): refused, 422.
	.filter((id) => !id.includes('\u0000'));

const measuresArb: fc.Arbitrary<Measures> = fc.record(
	{
		handling_minutes: fc.integer({ min: 0, max: 240 }),
		error: fc.constantFrom(0, 1),
		cost_eur: fc.integer({ min: 0, max: 500 }),
		resolved: fc.constantFrom(0, 1),
		first_response_minutes: fc.integer({ min: 0, max: 5_000 })
	},
	{ requiredKeys: [] }
);

export const eventArb = (id: fc.Arbitrary<string> = idArb): fc.Arbitrary<TestEvent> =>
	fc.record(
		{
			id,
			occurredAt: fc
				.integer({ min: baselineStartMs, max: pilotEndMs - 1 })
				.map((ms) => new Date(ms).toISOString()),
			cohort: fc.constantFrom('ai' as const, 'control' as const),
			segment: fc.constantFrom('billing', 'returns', 'ç-ü'),
			measures: measuresArb
		},
		{ requiredKeys: ['id', 'occurredAt', 'measures'] }
	);

/** A pool of distinct events; batches refer to them by index. */
export const poolArb = (maxSize: number): fc.Arbitrary<TestEvent[]> =>
	fc.uniqueArray(eventArb(), { minLength: 1, maxLength: maxSize, selector: (e) => e.id });
