import { checkEvent, metricObservation, phaseLocator, planMeasures } from '$lib/metrics';
import { QUARTER_HOUR_MS, dayIn } from '$lib/metrics/local-day';
import type { PlanDefinition } from '$lib/schemas/plan';
import { eventSchema, type OutcomeEvent } from '$lib/schemas/event';
import { readEventFast } from '$lib/schemas/event-fast';
import type { ProblemRowError } from '../http/problem';
import { statement, type Db } from '../db';
import { addToBuckets, type QuantileGroup } from '../stats/quantile-buckets';
import { bumpDataVersion, markAllDaysChanged, markDaysChanged } from '../stats/data-version';
import type { Cohort, Phase } from '$lib/domain/terms';
import { markDirty } from '../alerts/dirty';

// Ingestion: validated outcome events go in with one transaction per batch, which also adds
// them to the per-day sufficient statistics the reports read (so a report never scans events).

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

/**
 * The instant as stored: UTC with milliseconds. Most systems send it so already, and
 * formatting a date costs more than checking the spelling.
 */
function normalisedInstant(text: string, instant: number): string {
	const canonical = text.length === 24 && text[23] === 'Z' && text[19] === '.';
	return canonical ? text : new Date(instant).toISOString();
}

interface StoredContent {
	occurred_at: string;
	cohort: string;
	segment: string | null;
	measures: string;
}

/**
 * What makes two sends of one id "the same event": the instant (not its spelling: both are
 * stored normalised), cohort, segment and measures (in any key order). An explicit phase
 * must agree with the windows, so it adds nothing.
 */
function sameContent(
	stored: StoredContent,
	event: Pick<CheckedEvent, 'occurredAt' | 'cohort' | 'segment' | 'measures'>
): boolean {
	if (stored.occurred_at !== event.occurredAt || stored.cohort !== event.cohort) return false;
	if (stored.segment !== event.segment) return false;
	const measures = JSON.parse(stored.measures) as Record<string, number>;
	const names = Object.keys(measures);
	if (names.length !== Object.keys(event.measures).length) return false;
	return names.every(
		(name) => Object.hasOwn(event.measures, name) && event.measures[name] === measures[name]
	);
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

interface Sums {
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
	 * position; quantile metrics stay null), one `segment_stats` upsert per metric at the flush.
	 */
	readonly segments: Map<string, (Sums | null)[]>;
	readonly values: [string, string, Phase, Cohort, number][];
}

const emptyRollup = (): Rollup => ({ slots: new Map(), segments: new Map(), values: [] });

const emptySums = (): Sums => ({ n: 0, sumX: 0, sumX2: 0, sumY: 0, sumY2: 0, sumXY: 0 });

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

function addToRollup(
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

/** A rollup row's upsert: the batch's sums are added to the stored ones. */
const ADD_SUMS = `n = n + excluded.n, sum_x = sum_x + excluded.sum_x, sum_x2 = sum_x2 + excluded.sum_x2,
  sum_y = sum_y + excluded.sum_y, sum_y2 = sum_y2 + excluded.sum_y2, sum_xy = sum_xy + excluded.sum_xy`;

function flushRollup(db: Db, pilotId: number, plan: PlanDefinition, rollup: Rollup): void {
	const upsertStats = statement(
		db,
		`INSERT INTO daily_stats (pilot_id, metric_key, day, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (pilot_id, metric_key, phase, cohort, day) DO UPDATE SET ${ADD_SUMS}`
	);
	const upsertCases = statement(
		db,
		`INSERT INTO daily_cases (pilot_id, day, phase, cohort, n) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (pilot_id, phase, cohort, day) DO UPDATE SET n = n + excluded.n`
	);
	const metrics = plan.metrics;
	// The phase totals take the same deltas, added up per phase and cohort first: one upsert
	// per group and batch, however many days the batch spans.
	const totals = new Map<string, { cases: number; sums: (Sums | null)[] }>();
	for (const [slotKey, slot] of rollup.slots) {
		const [day, phase, cohort] = slotKey.split('|');
		upsertCases.run(pilotId, day, phase, cohort, slot.cases);
		const groupKey = `${phase}|${cohort}`;
		let total = totals.get(groupKey);
		if (!total) {
			total = { cases: 0, sums: metrics.map(() => null) };
			totals.set(groupKey, total);
		}
		total.cases += slot.cases;
		slot.sums.forEach((s, m) => {
			if (s === null) return;
			addSums((total.sums[m] ??= emptySums()), s);
			upsertStats.run(
				pilotId,
				metrics[m].key,
				day,
				phase,
				cohort,
				s.n,
				s.sumX,
				s.sumX2,
				s.sumY,
				s.sumY2,
				s.sumXY
			);
		});
	}
	const upsertPhaseStats = statement(
		db,
		`INSERT INTO phase_stats (pilot_id, metric_key, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (pilot_id, metric_key, phase, cohort) DO UPDATE SET ${ADD_SUMS}`
	);
	const upsertPhaseCases = statement(
		db,
		`INSERT INTO phase_cases (pilot_id, phase, cohort, n) VALUES (?, ?, ?, ?)
		 ON CONFLICT (pilot_id, phase, cohort) DO UPDATE SET n = n + excluded.n`
	);
	for (const [groupKey, total] of totals) {
		const [phase, cohort] = groupKey.split('|');
		upsertPhaseCases.run(pilotId, phase, cohort, total.cases);
		total.sums.forEach((s, m) => {
			if (s === null) return;
			upsertPhaseStats.run(
				pilotId,
				metrics[m].key,
				phase,
				cohort,
				s.n,
				s.sumX,
				s.sumX2,
				s.sumY,
				s.sumY2,
				s.sumXY
			);
		});
	}
	if (rollup.segments.size > 0) {
		const upsertSegment = statement(
			db,
			`INSERT INTO segment_stats (pilot_id, metric_key, phase, cohort, segment, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (pilot_id, metric_key, phase, cohort, segment) DO UPDATE SET ${ADD_SUMS}`
		);
		for (const [segmentKey, sums] of rollup.segments) {
			// "phase|cohort|segment": phase and cohort hold no "|", the segment may.
			const first = segmentKey.indexOf('|');
			const second = segmentKey.indexOf('|', first + 1);
			const phase = segmentKey.slice(0, first);
			const cohort = segmentKey.slice(first + 1, second);
			const segment = segmentKey.slice(second + 1);
			sums.forEach((s, m) => {
				if (s === null) return;
				upsertSegment.run(
					pilotId,
					metrics[m].key,
					phase,
					cohort,
					segment,
					s.n,
					s.sumX,
					s.sumX2,
					s.sumY,
					s.sumY2,
					s.sumXY
				);
			});
		}
	}
	const insertValue = statement(
		db,
		'INSERT INTO quantile_values (pilot_id, metric_key, day, phase, cohort, value) VALUES (?, ?, ?, ?, ?, ?)'
	);
	const groups = new Map<string, { group: QuantileGroup; values: number[] }>();
	for (const [metricKey, day, phase, cohort, value] of rollup.values) {
		insertValue.run(pilotId, metricKey, day, phase, cohort, value);
		const key = `${phase}|${cohort}|${metricKey}`;
		let entry = groups.get(key);
		if (!entry) {
			entry = { group: { metricKey, phase, cohort }, values: [] };
			groups.set(key, entry);
		}
		entry.values.push(value);
	}
	for (const { group, values } of groups.values()) addToBuckets(db, pilotId, group, values);
	if (rollup.slots.size > 0) {
		const version = bumpDataVersion(db, pilotId);
		markDaysChanged(db, pilotId, version, new Set([...rollup.slots.keys()].map(dayOfSlot)));
	}
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

export type StoreResult =
	{ ok: true; accepted: number; duplicates: number } | { ok: false; errors: ProblemRowError[] };

class ConflictingBatch extends Error {
	constructor(readonly errors: ProblemRowError[]) {
		super('conflicting event ids');
	}
}

const MAX_REPORTED_ERRORS = 100;

/** Stores checked events atomically; see storeBatch. */
export function storeEvents(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	events: readonly CheckedEvent[],
	now: Date = new Date()
): StoreResult {
	return storeBatch(db, pilotId, plan, toBatch(plan, events), now);
}

const EVENT_COLUMNS =
	'pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at';
/**
 * Rows per INSERT statement: one statement for 50 rows costs less per row than 50 single-row
 * statements (bench/RESULTS.md measures both), and 50 × 9 parameters stay far below SQLite's
 * limit.
 */
const ROWS_PER_INSERT = 50;

/** An INSERT of `rows` events that skips ids already stored. */
function insertSql(rows: number): string {
	const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
	return `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(rows).fill(row).join(', ')}
	 ON CONFLICT (pilot_id, external_id) DO NOTHING`;
}

/**
 * Stores a validated batch atomically: new ids are inserted and rolled up; an id already
 * stored with the same content is a duplicate (counted, nothing changes); with other content
 * it is a row error and the whole batch is rolled back.
 */
export function storeBatch(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	batch: CheckedBatch,
	now: Date = new Date()
): StoreResult {
	const client = db.$client;
	const insertOne = statement(db, insertSql(1));
	const insertMany = statement(db, insertSql(ROWS_PER_INSERT));
	const lastId = statement(db, 'SELECT coalesce(max(id), 0) AS id FROM events');
	const stored = statement(
		db,
		'SELECT id, occurred_at, cohort, segment, measures FROM events WHERE pilot_id = ? AND external_id = ?'
	);
	const receivedAt = now.toISOString();
	const { index, externalId, occurredAt, day, phase, cohort, segment, measuresJson } = batch;
	const pushRow = (params: unknown[], i: number): void => {
		params.push(
			pilotId,
			externalId[i],
			occurredAt[i],
			day[i],
			phase[i],
			cohort[i],
			segment[i],
			measuresJson[i],
			receivedAt
		);
	};
	try {
		return client.transaction((): StoreResult => {
			// Ids grow: a stored row with a larger id than this was inserted by this batch.
			const before = (lastId.get() as { id: number }).id;
			const errors: ProblemRowError[] = [];
			const fresh: number[] = [];
			/** Row i was not inserted: a duplicate of the stored event, or a conflict with it. */
			const judge = (i: number, row: StoredContent): void => {
				const same = sameContent(row, {
					occurredAt: occurredAt[i],
					cohort: cohort[i],
					segment: segment[i],
					measures: JSON.parse(measuresJson[i])
				});
				if (!same && errors.length < MAX_REPORTED_ERRORS) {
					errors.push({
						index: index[i],
						id: externalId[i],
						path: `events[${index[i]}].id`,
						message: `id "${externalId[i]}" is already stored with different content; an event cannot be changed, send it under a new id`
					});
				}
			};
			const params: unknown[] = [];
			let i = 0;
			for (; i + ROWS_PER_INSERT <= externalId.length; i += ROWS_PER_INSERT) {
				params.length = 0;
				for (let j = i; j < i + ROWS_PER_INSERT; j++) pushRow(params, j);
				if (insertMany.run(params).changes === ROWS_PER_INSERT) {
					for (let j = i; j < i + ROWS_PER_INSERT; j++) fresh.push(j);
					continue;
				}
				// Rare (retries): some id of the group was there already. Each row of the group
				// is new if its stored row came with this batch and no earlier row claimed its id.
				const claimed = new Set(fresh.map((f) => externalId[f]));
				for (let j = i; j < i + ROWS_PER_INSERT; j++) {
					const row = stored.get(pilotId, externalId[j]) as StoredContent & { id: number };
					if (row.id > before && !claimed.has(externalId[j])) {
						fresh.push(j);
						claimed.add(externalId[j]);
					} else judge(j, row);
				}
			}
			for (; i < externalId.length; i++) {
				params.length = 0;
				pushRow(params, i);
				if (insertOne.run(params).changes === 1) fresh.push(i);
				else judge(i, stored.get(pilotId, externalId[i]) as StoredContent);
			}
			if (errors.length > 0) throw new ConflictingBatch(errors);
			const duplicates = externalId.length - fresh.length;
			// Duplicates are rare (retries): only then is the rollup redone for the new events.
			let rollup = batch.rollup;
			if (duplicates > 0) {
				rollup = emptyRollup();
				for (const f of fresh) {
					addToRollup(
						rollup,
						plan,
						day[f],
						phase[f],
						cohort[f],
						segment[f],
						JSON.parse(measuresJson[f])
					);
				}
			}
			flushRollup(db, pilotId, plan, rollup);
			if (fresh.length > 0) markDirty(db, pilotId, now);
			return { ok: true, accepted: fresh.length, duplicates };
		})();
	} catch (error) {
		if (error instanceof ConflictingBatch) return { ok: false, errors: error.errors };
		throw error;
	}
}

/** SQLite's default limit of bound parameters is far above this. */
const LOOKUP_CHUNK = 500;

/**
 * Without storing anything: which events would be new, which are already stored (or earlier
 * in the list) with the same content, and which conflict with a stored event of their id.
 */
export function compareWithStored(
	db: Db,
	pilotId: number,
	events: readonly CheckedEvent[]
): { fresh: CheckedEvent[]; duplicates: number; conflicts: CheckedEvent[] } {
	const stored = new Map<string, StoredContent>();
	for (let i = 0; i < events.length; i += LOOKUP_CHUNK) {
		const ids = events.slice(i, i + LOOKUP_CHUNK).map((e) => e.externalId);
		const rows = db.$client
			.prepare(
				`SELECT external_id, occurred_at, cohort, segment, measures FROM events
				 WHERE pilot_id = ? AND external_id IN (${ids.map(() => '?').join(',')})`
			)
			.all(pilotId, ...ids) as (StoredContent & { external_id: string })[];
		for (const row of rows) stored.set(row.external_id, row);
	}
	const fresh: CheckedEvent[] = [];
	const conflicts: CheckedEvent[] = [];
	let duplicates = 0;
	for (const event of events) {
		const earlier = stored.get(event.externalId);
		if (earlier === undefined) {
			fresh.push(event);
			stored.set(event.externalId, {
				occurred_at: event.occurredAt,
				cohort: event.cohort,
				segment: event.segment,
				measures: event.measuresJson
			});
		} else if (sameContent(earlier, event)) duplicates += 1;
		else conflicts.push(event);
	}
	return { fresh, duplicates, conflicts };
}

/** Every table derived from a pilot's events: what a rebuild empties and fills again. */
const ROLLUP_TABLES = [
	'daily_stats',
	'daily_cases',
	'quantile_values',
	'quantile_buckets',
	'quantile_ranges',
	'segment_stats',
	'phase_stats',
	'phase_cases'
] as const;

/**
 * Empties a pilot's rollups (its events stay), inside the caller's transaction. The data
 * version is raised, not deleted: a value it had before must never come back.
 */
export function deleteRollups(db: Db, pilotId: number): void {
	for (const table of ROLLUP_TABLES) {
		statement(db, `DELETE FROM ${table} WHERE pilot_id = ?`).run(pilotId);
	}
	// The days' marks stay and move to the new version: a process keeping per-day rows reads
	// each day again and so also learns of those that no longer have any.
	markAllDaysChanged(db, pilotId, bumpDataVersion(db, pilotId));
}

/**
 * Recomputes a pilot's rollups from its stored events, after an amendment changed its metrics,
 * windows or time zone. Runs inside the caller's transaction. Events that now fall outside
 * both windows stay stored with no phase and count nowhere.
 */
export function rebuildRollups(db: Db, pilotId: number, plan: PlanDefinition): void {
	const client = db.$client;
	deleteRollups(db, pilotId);
	const timezone = plan.timezone ?? 'UTC';
	const phaseAt = phaseLocator(plan);
	const rollup = emptyRollup();
	const moved: [number, string, Phase | null][] = [];
	const rows = client
		.prepare(
			'SELECT id, occurred_at, day, phase, cohort, segment, measures FROM events WHERE pilot_id = ?'
		)
		.iterate(pilotId) as IterableIterator<{
		id: number;
		occurred_at: string;
		day: string;
		phase: Phase | null;
		cohort: Cohort;
		segment: string | null;
		measures: string;
	}>;
	for (const row of rows) {
		const t = Date.parse(row.occurred_at);
		const phase = phaseAt(t);
		const day = dayIn(timezone, t);
		if (phase !== row.phase || day !== row.day) moved.push([row.id, day, phase]);
		if (phase !== null) {
			addToRollup(rollup, plan, day, phase, row.cohort, row.segment, JSON.parse(row.measures));
		}
	}
	const update = client.prepare('UPDATE events SET day = ?, phase = ? WHERE id = ?');
	for (const [id, day, phase] of moved) update.run(day, phase, id);
	flushRollup(db, pilotId, plan, rollup);
}
