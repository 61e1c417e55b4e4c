import type { MetricDefinition, PlanDefinition } from '../schemas/plan';
import type { OutcomeEvent } from '../schemas/event';
import type { CaseCounts, CohortStats, Cohort, Phase, PilotStats } from './impact-report';
import type { DailyPoint } from './baseline-drift';
import { dayIn } from './local-day';
import type { PhaseStats } from './sufficient-stats';
import { metricMeasures } from '../domain/terms';

export interface EventIssue {
	readonly path: string;
	readonly message: string;
}

/**
 * The rule that puts an event in a phase, by its time in epoch milliseconds: windows are
 * [start, end), and an event outside both counts nowhere. The windows are parsed once, for
 * callers that place many events.
 */
export function phaseLocator(
	plan: Pick<PlanDefinition, 'baselineWindow' | 'pilotWindow'>
): (instant: number) => Phase | null {
	const [b0, b1] = [Date.parse(plan.baselineWindow.start), Date.parse(plan.baselineWindow.end)];
	const [p0, p1] = [Date.parse(plan.pilotWindow.start), Date.parse(plan.pilotWindow.end)];
	return (t) => (t >= b0 && t < b1 ? 'baseline' : t >= p0 && t < p1 ? 'pilot' : null);
}

/** The phase an event falls in by its time (`phaseLocator` for one event). */
export function phaseOf(plan: PlanDefinition, occurredAt: string): Phase | null {
	return phaseLocator(plan)(Date.parse(occurredAt));
}

/** Measures the plan's metrics read, and those that must be 0/1 (proportion metrics). */
export function planMeasures(plan: PlanDefinition): {
	readonly known: ReadonlySet<string>;
	readonly binary: ReadonlySet<string>;
} {
	const known = new Set<string>();
	const binary = new Set<string>();
	for (const metric of plan.metrics) {
		for (const measure of metricMeasures(metric)) known.add(measure);
		if (metric.kind === 'proportion' && metric.measure !== undefined) binary.add(metric.measure);
	}
	return { known, binary };
}

/**
 * Checks a schema-valid event against a plan (docs/api.md "Outcome events"): its time falls in a
 * window, an explicit phase agrees with it, every measure is used by a metric, and measures of
 * proportion metrics are 0 or 1. Returns the phase, or the issues.
 */
export function checkEvent(
	plan: PlanDefinition,
	event: OutcomeEvent,
	measures = planMeasures(plan)
):
	| { readonly phase: Phase; readonly issues: readonly [] }
	| { readonly phase: null; readonly issues: readonly EventIssue[] } {
	const issues: EventIssue[] = [];
	const phase = phaseOf(plan, event.occurredAt);
	if (phase === null) {
		issues.push({
			path: 'occurredAt',
			message: `${event.occurredAt} is outside both the baseline and the pilot window`
		});
	} else if (event.phase !== undefined && event.phase !== phase) {
		issues.push({
			path: 'phase',
			message: `phase "${event.phase}" disagrees with the windows: ${event.occurredAt} is in the ${phase} window`
		});
	}
	for (const [name, value] of Object.entries(event.measures)) {
		if (!measures.known.has(name)) {
			issues.push({
				path: `measures.${name}`,
				message: `"${name}" is not a measure of any metric in the plan (known: ${[...measures.known].join(', ')})`
			});
		} else if (measures.binary.has(name) && value !== 0 && value !== 1) {
			issues.push({ path: `measures.${name}`, message: `"${name}" must be 0 or 1, got ${value}` });
		}
	}
	return phase === null || issues.length > 0 ? { phase: null, issues } : { phase, issues: [] };
}

/**
 * The event's own value of a measure. Never an inherited property: a measure named like one
 * (`valueOf`) must read as "not observed", not as a function.
 */
function ownMeasure(
	measures: Readonly<Record<string, number>>,
	name: string | undefined
): number | undefined {
	return name !== undefined && Object.hasOwn(measures, name) ? measures[name] : undefined;
}

/** One metric's reading of one event, or `null` when the event lacks its measures. */
export function metricObservation(
	metric: MetricDefinition,
	measures: Readonly<Record<string, number>>
): { readonly x: number; readonly y?: number } | null {
	if (metric.kind === 'ratio') {
		const x = ownMeasure(measures, metric.numerator);
		const y = ownMeasure(measures, metric.denominator);
		return x === undefined || y === undefined ? null : { x, y };
	}
	const x = ownMeasure(measures, metric.measure);
	return x === undefined ? null : { x };
}

interface MutableMoments {
	type: 'moments';
	n: number;
	sum: number;
	sumSquares: number;
}
interface MutableRatio {
	type: 'ratio';
	n: number;
	sumX: number;
	sumY: number;
	sumX2: number;
	sumY2: number;
	sumXY: number;
}
interface MutableValues {
	type: 'values';
	values: number[];
}
type Slot = MutableMoments | MutableRatio | MutableValues;

function emptySlot(metric: MetricDefinition): Slot {
	if (metric.kind === 'ratio')
		return { type: 'ratio', n: 0, sumX: 0, sumY: 0, sumX2: 0, sumY2: 0, sumXY: 0 };
	if (metric.kind === 'quantile') return { type: 'values', values: [] };
	return { type: 'moments', n: 0, sum: 0, sumSquares: 0 };
}

function addTo(slot: Slot, x: number, y = 0): void {
	if (slot.type === 'values') slot.values.push(x);
	else if (slot.type === 'moments') {
		slot.n += 1;
		slot.sum += x;
		slot.sumSquares += x * x;
	} else {
		slot.n += 1;
		slot.sumX += x;
		slot.sumY += y;
		slot.sumX2 += x * x;
		slot.sumY2 += y * y;
		slot.sumXY += x * y;
	}
}

function freeze(slot: Slot): PhaseStats | null {
	if (slot.type === 'values')
		return slot.values.length === 0 ? null : { type: 'values', values: slot.values };
	return slot.n === 0 ? null : { ...slot };
}

/**
 * Accumulates checked events into the per-phase, per-cohort sufficient statistics the report
 * reads. Memory is constant per metric except for quantile metrics, which keep their values.
 * The app's ingestion can use `metricObservation` per event to update its per-day rollups the
 * same way.
 */
export class StatsAccumulator {
	readonly #plan: PlanDefinition;
	readonly #slots = new Map<string, Record<Phase, Record<Cohort, Slot>>>();
	readonly #cases = { baseline: { ai: 0, control: 0 }, pilot: { ai: 0, control: 0 } };
	/** The primary metric's statistics per local day, phase and cohort (trend, weekday mix). */
	readonly #daily = new Map<string, { point: Omit<DailyPoint, 'stats'>; slot: Slot }>();
	/** Per segment, per metric: the AI cohort's statistics (not for quantile metrics). */
	readonly #segments = new Map<string, Map<string, Record<Phase, Slot>>>();
	readonly #primary: MetricDefinition | undefined;
	readonly #timezone: string;

	constructor(plan: PlanDefinition) {
		this.#plan = plan;
		for (const metric of plan.metrics) {
			this.#slots.set(metric.key, {
				baseline: { ai: emptySlot(metric), control: emptySlot(metric) },
				pilot: { ai: emptySlot(metric), control: emptySlot(metric) }
			});
		}
		const primary = plan.metrics.find((m) => m.role === 'primary');
		this.#primary = primary?.kind === 'quantile' ? undefined : primary;
		this.#timezone = plan.timezone ?? 'UTC';
	}

	/** Adds an event already checked with `checkEvent` (its phase given). */
	add(event: OutcomeEvent, phase: Phase): void {
		const cohort = event.cohort;
		this.#cases[phase][cohort] += 1;
		for (const metric of this.#plan.metrics) {
			const observation = metricObservation(metric, event.measures);
			if (observation === null) continue;
			addTo(this.#slots.get(metric.key)![phase][cohort], observation.x, observation.y);
			if (metric === this.#primary) this.#addDaily(event, phase, metric, observation);
			if (cohort === 'ai' && metric.kind !== 'quantile' && event.segment) {
				this.#addSegment(event.segment, phase, metric, observation);
			}
		}
	}

	#addDaily(
		event: OutcomeEvent,
		phase: Phase,
		metric: MetricDefinition,
		observation: { x: number; y?: number }
	): void {
		const day = dayIn(this.#timezone, Date.parse(event.occurredAt));
		const key = `${day}|${phase}|${event.cohort}`;
		let entry = this.#daily.get(key);
		if (!entry) {
			entry = { point: { day, phase, cohort: event.cohort }, slot: emptySlot(metric) };
			this.#daily.set(key, entry);
		}
		addTo(entry.slot, observation.x, observation.y);
	}

	#addSegment(
		segment: string,
		phase: Phase,
		metric: MetricDefinition,
		observation: { x: number; y?: number }
	): void {
		let metrics = this.#segments.get(segment);
		if (!metrics) {
			metrics = new Map();
			this.#segments.set(segment, metrics);
		}
		let slots = metrics.get(metric.key);
		if (!slots) {
			slots = { baseline: emptySlot(metric), pilot: emptySlot(metric) };
			metrics.set(metric.key, slots);
		}
		addTo(slots[phase], observation.x, observation.y);
	}

	get cases(): CaseCounts {
		return structuredClone(this.#cases);
	}

	stats(): PilotStats {
		const metrics: Record<string, Record<Phase, CohortStats>> = {};
		for (const [key, slots] of this.#slots) {
			metrics[key] = {
				baseline: { ai: freeze(slots.baseline.ai), control: freeze(slots.baseline.control) },
				pilot: { ai: freeze(slots.pilot.ai), control: freeze(slots.pilot.control) }
			};
		}
		const daily: Record<string, DailyPoint[]> = {};
		if (this.#primary !== undefined) {
			daily[this.#primary.key] = [...this.#daily.values()]
				.map(({ point, slot }) => ({ ...point, stats: freeze(slot) }))
				.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
		}
		const segments: Record<
			string,
			Record<string, { baseline: PhaseStats | null; pilot: PhaseStats | null }>
		> = {};
		for (const [segment, bySegment] of [...this.#segments].sort(([a], [b]) =>
			a < b ? -1 : a > b ? 1 : 0
		)) {
			segments[segment] = {};
			for (const [key, slots] of bySegment) {
				segments[segment][key] = { baseline: freeze(slots.baseline), pilot: freeze(slots.pilot) };
			}
		}
		return { metrics, cases: this.cases, daily, segments };
	}
}
