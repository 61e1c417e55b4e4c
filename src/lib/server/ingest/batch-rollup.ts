// Longer than most files, on purpose: a batch's rollup and its flush into the rollup tables must
// agree field by field, so they stay side by side.

import { metricObservation } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { Db } from '../db';
import { addingUpsert, RowsInsert } from '../stats/insert-rows';
import { addToBuckets, type QuantileGroup } from '../stats/quantile-buckets';
import { bumpDataVersion, markDaysChanged } from '../stats/data-version';
import type { Cohort, Phase } from '$lib/domain/terms';

// A batch of checked events as the database receives them, with the rollup of its events: the
// per-day, per-phase, segment and quantile sums one transaction adds beside the events.

/** An event that passed validation against the plan, ready to store. */
export interface CheckedEvent {
	readonly index: number;
	readonly externalId: string;
	readonly occurredAt: string;
	readonly day: string;
	readonly phase: Phase;
	readonly cohort: Cohort;
	readonly segment: string | null;
	readonly measures: Readonly<Record<string, number>>;
	readonly measuresJson: string;
}

/** The sums of one metric over a set of events (x and y as `metricObservation` gives them). */
export interface Sums {
	n: number;
	sumX: number;
	sumX2: number;
	sumY: number;
	sumY2: number;
	sumXY: number;
}

/**
 * Rollup deltas of a set of events, flushed as upserts in the same transaction. Plain data, so
 * a batch checked in a worker thread carries its rollup across with it.
 */
export interface Rollup {
	/** Per "day|phase|cohort": the events, and the sums of each metric (by plan position). */
	readonly slots: Map<string, { cases: number; sums: (Sums | null)[] }>;
	/**
	 * Per "phase|cohort|segment" of the events with a segment: the sums of each metric (by plan
	 * position; quantile metrics stay null), one `segment_stats` row per metric at the flush.
	 */
	readonly segments: Map<string, (Sums | null)[]>;
	readonly values: [string, string, Phase, Cohort, number][];
}

export const emptyRollup = (): Rollup => ({ slots: new Map(), segments: new Map(), values: [] });

const emptySums = (): Sums => ({ n: 0, sumX: 0, sumX2: 0, sumY: 0, sumY2: 0, sumXY: 0 });

/** The rollup tables' columns of the sums, in the order `columnsOf` gives their values. */
const SUM_COLUMNS = ['n', 'sum_x', 'sum_x2', 'sum_y', 'sum_y2', 'sum_xy'];

/** The sums in the order of `SUM_COLUMNS`. */
const columnsOf = (s: Sums): number[] => [s.n, s.sumX, s.sumX2, s.sumY, s.sumY2, s.sumXY];

/** The entry of `key`, added by `make` when there is none yet. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
	let entry = map.get(key);
	if (entry === undefined) {
		entry = make();
		map.set(key, entry);
	}
	return entry;
}

function addSums(total: Sums, s: Sums): void {
	total.n += s.n;
	total.sumX += s.sumX;
	total.sumX2 += s.sumX2;
	total.sumY += s.sumY;
	total.sumY2 += s.sumY2;
	total.sumXY += s.sumXY;
}

function addObservation(s: Sums, x: number, y: number): void {
	s.n += 1;
	s.sumX += x;
	s.sumX2 += x * x;
	s.sumY += y;
	s.sumY2 += y * y;
	s.sumXY += x * y;
}

/** An empty segment is no segment: it names no team or channel a report could show. */
const hasSegment = (segment: string | null): segment is string =>
	segment !== null && segment !== '';

export function addToRollup(
	rollup: Rollup,
	plan: PlanDefinition,
	day: string,
	phase: Phase,
	cohort: Cohort,
	segment: string | null,
	measures: Readonly<Record<string, number>>
): void {
	const metrics = plan.metrics;
	const slotKey = `${day}|${phase}|${cohort}`;
	let slot = rollup.slots.get(slotKey);
	if (!slot) {
		slot = { cases: 0, sums: metrics.map(() => null) };
		rollup.slots.set(slotKey, slot);
	}
	slot.cases += 1;
	let segmentSums: (Sums | null)[] | undefined;
	if (hasSegment(segment)) {
		const segmentKey = `${phase}|${cohort}|${segment}`;
		segmentSums = rollup.segments.get(segmentKey);
		if (!segmentSums) {
			segmentSums = metrics.map(() => null);
			rollup.segments.set(segmentKey, segmentSums);
		}
	}
	for (let m = 0; m < metrics.length; m++) {
		const metric = metrics[m];
		const o = metricObservation(metric, measures);
		if (o === null) continue;
		const y = o.y ?? 0;
		addObservation((slot.sums[m] ??= emptySums()), o.x, y);
		if (metric.kind === 'quantile') rollup.values.push([metric.key, day, phase, cohort, o.x]);
		else if (segmentSums !== undefined) addObservation((segmentSums[m] ??= emptySums()), o.x, y);
	}
}

// Each table's rows of a batch go in a few multi-row statements (insert-rows.ts). Within one
// flush every row has its own key (the rollup's maps key them), as a multi-row upsert needs.
const upsertCases = addingUpsert('daily_cases', ['pilot_id', 'day', 'phase', 'cohort'], ['n']);
const upsertStats = addingUpsert(
	'daily_stats',
	['pilot_id', 'metric_key', 'day', 'phase', 'cohort'],
	SUM_COLUMNS
);
const upsertPhaseCases = addingUpsert('phase_cases', ['pilot_id', 'phase', 'cohort'], ['n']);
const upsertPhaseStats = addingUpsert(
	'phase_stats',
	['pilot_id', 'metric_key', 'phase', 'cohort'],
	SUM_COLUMNS,
	['version']
);
const upsertSegments = addingUpsert(
	'segment_stats',
	['pilot_id', 'metric_key', 'phase', 'cohort', 'segment'],
	SUM_COLUMNS
);
const insertValues = new RowsInsert(
	'INSERT INTO quantile_values (pilot_id, metric_key, day, phase, cohort, value)',
	6,
	'',
	4
);

export async function flushRollup(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	rollup: Rollup
): Promise<void> {
	if (rollup.slots.size === 0) return;
	// Raised first: the phase totals carry the version of the change that made them.
	const version = await bumpDataVersion(db, pilotId);
	const metrics = plan.metrics;
	// The phase totals take the same deltas, added up per phase and cohort first: one row per
	// group and batch, however many days the batch spans.
	const totals = new Map<string, { cases: number; sums: (Sums | null)[] }>();
	const cases: unknown[] = [];
	const stats: unknown[] = [];
	for (const [slotKey, slot] of rollup.slots) {
		const [day, phase, cohort] = slotKey.split('|');
		cases.push(pilotId, day, phase, cohort, slot.cases);
		const total = entryOf(totals, `${phase}|${cohort}`, () => ({
			cases: 0,
			sums: metrics.map((): Sums | null => null)
		}));
		total.cases += slot.cases;
		slot.sums.forEach((s, m) => {
			if (s === null) return;
			addSums((total.sums[m] ??= emptySums()), s);
			stats.push(pilotId, metrics[m].key, day, phase, cohort, ...columnsOf(s));
		});
	}
	await upsertCases.run(db, cases);
	await upsertStats.run(db, stats);
	const phaseCases: unknown[] = [];
	const phaseStats: unknown[] = [];
	for (const [groupKey, total] of totals) {
		const [phase, cohort] = groupKey.split('|');
		phaseCases.push(pilotId, phase, cohort, total.cases);
		total.sums.forEach((s, m) => {
			if (s === null) return;
			phaseStats.push(pilotId, metrics[m].key, phase, cohort, ...columnsOf(s), version);
		});
	}
	await upsertPhaseCases.run(db, phaseCases);
	await upsertPhaseStats.run(db, phaseStats);
	const segments: unknown[] = [];
	for (const [segmentKey, sums] of rollup.segments) {
		// "phase|cohort|segment": phase and cohort hold no "|", the segment may.
		const first = segmentKey.indexOf('|');
		const second = segmentKey.indexOf('|', first + 1);
		const phase = segmentKey.slice(0, first);
		const cohort = segmentKey.slice(first + 1, second);
		const segment = segmentKey.slice(second + 1);
		sums.forEach((s, m) => {
			if (s === null) return;
			segments.push(pilotId, metrics[m].key, phase, cohort, segment, ...columnsOf(s));
		});
	}
	await upsertSegments.run(db, segments);
	const valueRows: unknown[] = [];
	const groups = new Map<string, { group: QuantileGroup; values: number[] }>();
	for (const [metricKey, day, phase, cohort, value] of rollup.values) {
		valueRows.push(pilotId, metricKey, day, phase, cohort, value);
		const entry = entryOf(groups, `${phase}|${cohort}|${metricKey}`, () => ({
			group: { metricKey, phase, cohort },
			values: [] as number[]
		}));
		entry.values.push(value);
	}
	await insertValues.run(db, valueRows);
	for (const { group, values } of groups.values()) await addToBuckets(db, pilotId, group, values);
	await markDaysChanged(db, pilotId, version, new Set([...rollup.slots.keys()].map(dayOfSlot)));
}

/** The day of a rollup slot's key ("day|phase|cohort"). */
const dayOfSlot = (slotKey: string): string => slotKey.slice(0, slotKey.indexOf('|'));

/**
 * Checked events as the database receives them: in columns, without the parsed measures, and
 * with the rollup of them all. Columns of strings cross a thread boundary at a fraction of the
 * cost of as many objects, which is the form a batch checked in a worker thread arrives in.
 */
export interface CheckedBatch {
	readonly index: number[];
	readonly externalId: string[];
	readonly occurredAt: string[];
	readonly day: string[];
	readonly phase: Phase[];
	readonly cohort: Cohort[];
	readonly segment: (string | null)[];
	readonly measuresJson: string[];
	/** The rollup of every event of the batch, as if none were stored yet. */
	readonly rollup: Rollup;
}

/** Builds a CheckedBatch event by event, with its rollup. */
export class BatchBuilder {
	readonly #plan: PlanDefinition;
	readonly batch: CheckedBatch = {
		index: [],
		externalId: [],
		occurredAt: [],
		day: [],
		phase: [],
		cohort: [],
		segment: [],
		measuresJson: [],
		rollup: emptyRollup()
	};

	constructor(plan: PlanDefinition) {
		this.#plan = plan;
	}

	/** A checked event's fields, one by one: the hot path makes no object per event. */
	add(
		index: number,
		externalId: string,
		occurredAt: string,
		day: string,
		phase: Phase,
		cohort: Cohort,
		segment: string | null,
		measures: Readonly<Record<string, number>>,
		measuresJson: string = JSON.stringify(measures)
	): void {
		const b = this.batch;
		b.index.push(index);
		b.externalId.push(externalId);
		b.occurredAt.push(occurredAt);
		b.day.push(day);
		b.phase.push(phase);
		b.cohort.push(cohort);
		b.segment.push(segment);
		b.measuresJson.push(measuresJson);
		addToRollup(b.rollup, this.#plan, day, phase, cohort, segment, measures);
	}

	addChecked(e: CheckedEvent): void {
		const { index, externalId, occurredAt, day, phase, cohort, segment, measures } = e;
		this.add(index, externalId, occurredAt, day, phase, cohort, segment, measures, e.measuresJson);
	}
}

export function toBatch(plan: PlanDefinition, events: readonly CheckedEvent[]): CheckedBatch {
	const builder = new BatchBuilder(plan);
	for (const e of events) builder.addChecked(e);
	return builder.batch;
}
