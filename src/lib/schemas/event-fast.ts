import { eventSchema, type OutcomeEvent } from './event';

// Validation is most of ingestion's work. This reads the common shape of an event several
// times faster than `eventSchema.safeParse`, and accepts only what the schema accepts, with
// the same result; anything else answers `null`, and the caller runs the schema for its
// messages. `event-fast.test.ts` checks the equivalence on generated inputs.

/** The schema's own date-time pattern, so both paths agree on every timestamp. */
const DATE_TIME: RegExp = eventSchema.shape.occurredAt._zod.def.pattern ?? /(?!)/;
const MAX_TEXT = 200;

function readMeasures(input: unknown): Record<string, number> | null {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
	if (allFiniteNumbers(input)) return input as Record<string, number>;
	const measures: Record<string, number> = {};
	for (const key in input) {
		if (!Object.hasOwn(input, key)) continue;
		// zod drops a "__proto__" key; leave that rare case to the schema.
		if (key === '' || key === '__proto__') return null;
		const value = (input as Record<string, unknown>)[key];
		if (typeof value === 'number') {
			if (!Number.isFinite(value)) return null;
			measures[key] = value;
		} else if (typeof value === 'boolean') measures[key] = value ? 1 : 0;
		else return null;
	}
	return measures;
}

/**
 * Whether every own key is a plain name holding a finite number: then the parsed JSON object
 * already is what the schema would give, and no copy is made (most events).
 */
function allFiniteNumbers(input: object): boolean {
	for (const key in input) {
		if (!Object.hasOwn(input, key) || key === '' || key === '__proto__') return false;
		const value = (input as Record<string, unknown>)[key];
		if (typeof value !== 'number' || !Number.isFinite(value)) return false;
	}
	return Object.getPrototypeOf(input) === Object.prototype;
}

/** The event as `eventSchema` would parse it, or `null` when only the schema can say. */
export function readEventFast(input: unknown): OutcomeEvent | null {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
	const { id, occurredAt, phase, segment, cohort, measures } = input as Record<string, unknown>;
	if (typeof id !== 'string' || id.length === 0 || id.length > MAX_TEXT || id.includes('\0')) {
		return null;
	}
	if (typeof occurredAt !== 'string' || !DATE_TIME.test(occurredAt)) return null;
	if (phase !== undefined && phase !== 'baseline' && phase !== 'pilot') return null;
	if (
		segment !== undefined &&
		(typeof segment !== 'string' || segment.length > MAX_TEXT || segment.includes('\0'))
	) {
		return null;
	}
	if (cohort !== undefined && cohort !== 'ai' && cohort !== 'control') return null;
	const read = readMeasures(measures);
	if (read === null) return null;
	const event: OutcomeEvent = { id, occurredAt, cohort: cohort ?? 'ai', measures: read };
	if (phase !== undefined) event.phase = phase;
	if (segment !== undefined) event.segment = segment;
	return event;
}
