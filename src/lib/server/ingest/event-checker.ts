import { checkEvent, phaseLocator, planMeasures } from '$lib/metrics';
import { QUARTER_HOUR_MS, dayIn } from '$lib/metrics/local-day';
import type { PlanDefinition } from '$lib/schemas/plan';
import { eventSchema, type OutcomeEvent } from '$lib/schemas/event';
import { readEventFast } from '$lib/schemas/event-fast';
import type { ProblemRowError } from '../http/problem';
import type { Phase } from '$lib/domain/terms';
import { BatchBuilder, type CheckedEvent } from './batch-rollup';

// Checking an event against the event schema and the plan: which phase, cohort and day it
// falls in, and its measures, before anything is stored.

/**
 * The instant as stored: UTC with milliseconds. Most systems send it so already, and
 * formatting a date costs more than checking the spelling.
 */
function normalisedInstant(text: string, instant: number): string {
	const canonical = text.length === 24 && text[23] === 'Z' && text[19] === '.';
	return canonical ? text : new Date(instant).toISOString();
}

/** Validates one event of a batch against the event schema and the plan. */
export class EventChecker {
	readonly #plan: PlanDefinition;
	readonly #measures: ReturnType<typeof planMeasures>;
	readonly #timezone: string;
	/** The windows as [start, end) instants, read once rather than per event. */
	readonly #phaseAt: (instant: number) => Phase | null;

	constructor(plan: PlanDefinition) {
		this.#plan = plan;
		this.#measures = planMeasures(plan);
		this.#timezone = plan.timezone ?? 'UTC';
		this.#phaseAt = phaseLocator(plan);
	}

	get knownMeasures(): ReadonlySet<string> {
		return this.#measures.known;
	}

	check(
		index: number,
		input: unknown
	): { ok: true; event: CheckedEvent } | { ok: false; errors: ProblemRowError[] } {
		// Most events are valid: they take the fast reader and the same plan rules as
		// `checkEvent`; any event with something to explain takes the path that explains it.
		const fast = readEventFast(input);
		if (fast !== null) {
			const instant = Date.parse(fast.occurredAt);
			const phase = this.#acceptedPhase(fast, instant);
			if (phase !== null) return { ok: true, event: this.#checked(index, fast, instant, phase) };
		}
		const rawId = (input as { id?: unknown } | null)?.id;
		const id = typeof rawId === 'string' ? { id: rawId } : {};
		const at = (path: string): string =>
			path === '' ? `events[${index}]` : `events[${index}].${path}`;
		const parsed = eventSchema.safeParse(input);
		if (!parsed.success) {
			return {
				ok: false,
				errors: parsed.error.issues.map((issue) => ({
					index,
					...id,
					path: at(issue.path.join('.')),
					message: issue.message
				}))
			};
		}
		const event = parsed.data;
		const checked = checkEvent(this.#plan, event, this.#measures);
		if (checked.phase === null) {
			return {
				ok: false,
				errors: checked.issues.map((issue) => ({
					index,
					...id,
					path: at(issue.path),
					message: issue.message
				}))
			};
		}
		return {
			ok: true,
			event: this.#checked(index, event, Date.parse(event.occurredAt), checked.phase)
		};
	}

	/**
	 * As `check`, adding a valid event straight to `batch`: ingestion does this for every
	 * event, so the common case makes no object per event on the way.
	 */
	checkInto(batch: BatchBuilder, index: number, input: unknown): ProblemRowError[] | null {
		const fast = readEventFast(input);
		if (fast !== null) {
			const instant = Date.parse(fast.occurredAt);
			const phase = this.#acceptedPhase(fast, instant);
			if (phase !== null) {
				batch.add(
					index,
					fast.id,
					normalisedInstant(fast.occurredAt, instant),
					this.#day(instant),
					phase,
					fast.cohort,
					fast.segment ?? null,
					fast.measures
				);
				return null;
			}
		}
		const result = this.check(index, input);
		if (!result.ok) return result.errors;
		batch.addChecked(result.event);
		return null;
	}

	/** The phase of a fast-read event if the plan's rules accept it, as `checkEvent` would. */
	#acceptedPhase(fast: OutcomeEvent, instant: number): Phase | null {
		const phase = this.#phaseAt(instant);
		if (phase === null || (fast.phase !== undefined && fast.phase !== phase)) return null;
		return this.#measuresFit(fast.measures) ? phase : null;
	}

	#lastQuarter = NaN;
	#lastDay = '';

	/** Events come in time order: most share the quarter hour, and so the day, of the one before. */
	#day(instant: number): string {
		const quarter = Math.floor(instant / QUARTER_HOUR_MS);
		if (quarter !== this.#lastQuarter) {
			this.#lastQuarter = quarter;
			this.#lastDay = dayIn(this.#timezone, instant);
		}
		return this.#lastDay;
	}

	/** As `checkEvent`: every measure is read by a metric; those of proportions are 0 or 1. */
	#measuresFit(measures: Readonly<Record<string, number>>): boolean {
		const { known, binary } = this.#measures;
		for (const name in measures) {
			if (!Object.hasOwn(measures, name) || !known.has(name)) return false;
			if (binary.has(name) && measures[name] !== 0 && measures[name] !== 1) return false;
		}
		return true;
	}

	#checked(index: number, event: OutcomeEvent, instant: number, phase: Phase): CheckedEvent {
		const segment = event.segment ?? null;
		return {
			index,
			externalId: event.id,
			occurredAt: normalisedInstant(event.occurredAt, instant),
			day: this.#day(instant),
			phase,
			cohort: event.cohort,
			segment,
			measures: event.measures,
			measuresJson: JSON.stringify(event.measures)
		};
	}
}
