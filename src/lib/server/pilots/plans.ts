import { asc, eq, sql } from 'drizzle-orm';
import type { BaselineSummary } from '$lib/metrics';
import type { Amendment as ReportAmendment } from '$lib/metrics';
import type { BaselineSummaryInput, DefinitionExtras } from '$lib/schemas/definition';
import type { MetricDefinition, PlanDefinition } from '$lib/schemas/plan';
import { getDb, preparedQuery, type Db } from '../db';
import { record, type Actor } from '../audit/audit';
import { actorLabel, serviceContext, type ServiceContext } from '../context';
import { ok, refusal, type Result } from '../result';
import { nameTaken, reservedSlugs } from './pilot-names';
import {
	baselineSummaries,
	planAmendments,
	plans,
	pilots,
	type PilotRow,
	type StoredPlan
} from '../db/schema';
import { deleteRollups, rebuildRollups } from '../ingest/ingest';
import { markDirty } from '../alerts/dirty';
import { silentDaysOf, storeSilentDays } from '../alerts/silence';

// The measurement plan and the baseline: the pre-registered half of a pilot. Until the pilot
// starts they change freely; afterwards only by an amendment with a reason, which is recorded
// with what it replaced and shown on every report.

export interface AmendmentView extends ReportAmendment {
	readonly changed: readonly string[];
}

export interface PlanState {
	pilot: PilotRow;
	stored: StoredPlan | null;
	version: number;
	lockedAt: string | null;
	amendments: AmendmentView[];
	summaries: Record<string, BaselineSummary & { source: string; enteredAt: string }>;
	/** The plan as the metrics core reads it; `null` without a plan or without both windows. */
	definition: PlanDefinition | null;
	/** Working days without new events before `data.silent`. */
	silentDays: number;
}

function window(start: string | null, end: string | null): { start: string; end: string } | null {
	return start && end ? { start, end } : null;
}

export function planDefinition(pilot: PilotRow, stored: StoredPlan | null): PlanDefinition | null {
	const baselineWindow = window(pilot.baselineStart, pilot.baselineEnd);
	const pilotWindow = window(pilot.pilotStart, pilot.pilotEnd);
	if (!stored || !baselineWindow || !pilotWindow) return null;
	return {
		slug: pilot.slug,
		name: pilot.name,
		timezone: pilot.timezone,
		baselineWindow,
		pilotWindow,
		...stored
	};
}

// The plan state is read for every report and each pilot of the portfolio: its queries are
// prepared once per connection rather than built per call.
function stateOf(db: Db, pilot: PilotRow): PlanState {
	const plan = preparedQuery(db, 'plans.planOfPilot', (d) =>
		d
			.select()
			.from(plans)
			.where(eq(plans.pilotId, sql.placeholder('pilotId')))
			.prepare()
	).get({ pilotId: pilot.id });
	const amendments = preparedQuery(db, 'plans.amendmentsOfPilot', (d) =>
		d
			.select()
			.from(planAmendments)
			.where(eq(planAmendments.pilotId, sql.placeholder('pilotId')))
			.orderBy(asc(planAmendments.amendedAt), asc(planAmendments.id))
			.prepare()
	)
		.all({ pilotId: pilot.id })
		.map((row) => ({
			at: row.amendedAt,
			reason: row.reason,
			...(row.amendedBy ? { by: row.amendedBy } : {}),
			changed: row.changed
		}));
	const summaries: PlanState['summaries'] = {};
	for (const row of preparedQuery(db, 'plans.summariesOfPilot', (d) =>
		d
			.select()
			.from(baselineSummaries)
			.where(eq(baselineSummaries.pilotId, sql.placeholder('pilotId')))
			.prepare()
	).all({ pilotId: pilot.id })) {
		summaries[row.metricKey] =
			row.successes !== null
				? { n: row.n, successes: row.successes, source: row.source, enteredAt: row.enteredAt }
				: {
						n: row.n,
						mean: row.mean ?? 0,
						sd: row.sd ?? 0,
						source: row.source,
						enteredAt: row.enteredAt
					};
	}
	const stored = plan?.definition ?? null;
	return {
		pilot,
		stored,
		version: plan?.version ?? 0,
		lockedAt: plan?.lockedAt ?? null,
		amendments,
		summaries,
		definition: planDefinition(pilot, stored),
		silentDays: silentDaysOf(db, pilot.id)
	};
}

export function readState(slug: string, db: Db = getDb()): PlanState | null {
	const pilot = pilotBySlug(db, slug);
	return pilot ? stateOf(db, pilot) : null;
}

function pilotBySlug(db: Db, slug: string): PilotRow | undefined {
	return preparedQuery(db, 'plans.pilotBySlug', (d) =>
		d
			.select()
			.from(pilots)
			.where(eq(pilots.slug, sql.placeholder('slug')))
			.prepare()
	).get({ slug });
}

/**
 * The pilot and the plan as the metrics core reads it, without amendments and baseline
 * summaries: what each ingestion request needs, from two prepared queries.
 */
export function readDefinition(
	slug: string,
	db: Db = getDb()
): { pilot: PilotRow; definition: PlanDefinition | null } | null {
	const pilot = pilotBySlug(db, slug);
	if (!pilot) return null;
	const stored =
		preparedQuery(db, 'plans.definitionOfPilot', (d) =>
			d
				.select({ definition: plans.definition })
				.from(plans)
				.where(eq(plans.pilotId, sql.placeholder('pilotId')))
				.prepare()
		).get({ pilotId: pilot.id })?.definition ?? null;
	return { pilot, definition: planDefinition(pilot, stored) };
}

export function readStateById(pilotId: number, db: Db = getDb()): PlanState | null {
	const pilot = preparedQuery(db, 'plans.pilotById', (d) =>
		d
			.select()
			.from(pilots)
			.where(eq(pilots.id, sql.placeholder('pilotId')))
			.prepare()
	).get({ pilotId });
	return pilot ? stateOf(db, pilot) : null;
}

/** The pilot definition as the API shows it (docs/api.md "Pilots"), with lock and amendments. */
export function definitionView(state: PlanState): Record<string, unknown> {
	const { pilot, stored } = state;
	return {
		slug: pilot.slug,
		name: pilot.name,
		process: pilot.process,
		timezone: pilot.timezone,
		stage: pilot.stage,
		baselineWindow: window(pilot.baselineStart, pilot.baselineEnd),
		pilotWindow: window(pilot.pilotStart, pilot.pilotEnd),
		...(stored ?? { metrics: [] }),
		charter: pilot.charter,
		governance: pilot.governance,
		silentDays: state.silentDays,
		lockedAt: state.lockedAt,
		amendments: state.amendments,
		baselineSummaries: state.summaries
	};
}

export type DefinitionInput = PlanDefinition & DefinitionExtras;

function storedPlanOf(input: PlanDefinition): StoredPlan {
	return {
		metrics: input.metrics,
		...(input.economics ? { economics: input.economics } : {}),
		minSamples: input.minSamples,
		...(input.plannedPilotCases !== undefined
			? { plannedPilotCases: input.plannedPilotCases }
			: {}),
		...(input.evaluationGates ? { evaluationGates: input.evaluationGates } : {})
	};
}

const utc = (instant: string): string => new Date(instant).toISOString();

/** Creates a pilot from an API definition (a draft, with its plan). */
export function create(
	input: DefinitionInput,
	context: Partial<ServiceContext> = {}
): Result<PlanState> {
	const { db, actor, now } = serviceContext(context);
	return db.transaction((): Result<PlanState> => {
		if (reservedSlugs.has(input.slug)) {
			return refusal(409, `The slug “${input.slug}” is reserved; choose another.`, [
				{ path: 'slug', message: 'reserved for a page of the app' }
			]);
		}
		if (db.select({ id: pilots.id }).from(pilots).where(eq(pilots.slug, input.slug)).get()) {
			return refusal(409, `A pilot with the slug “${input.slug}” already exists.`, [
				{ path: 'slug', message: 'already used by another pilot' }
			]);
		}
		if (nameTaken(db, input.name, null)) {
			return refusal(409, `A pilot named “${input.name}” already exists.`, [
				{ path: 'name', message: 'already used by another pilot' }
			]);
		}
		const at = now.toISOString();
		const row = db
			.insert(pilots)
			.values({
				slug: input.slug,
				name: input.name,
				process: input.process,
				timezone: input.timezone ?? 'UTC',
				baselineStart: utc(input.baselineWindow.start),
				baselineEnd: utc(input.baselineWindow.end),
				pilotStart: utc(input.pilotWindow.start),
				pilotEnd: utc(input.pilotWindow.end),
				charter: input.charter,
				governance: input.governance,
				stage: 'draft',
				createdAt: at,
				updatedAt: at,
				stageChangedAt: at
			})
			.returning()
			.get();
		db.insert(plans)
			.values({ pilotId: row.id, definition: storedPlanOf(input), version: 1, updatedAt: at })
			.run();
		if (input.silentDays !== undefined) storeSilentDays(db, row.id, input.silentDays);
		const created = stateOf(db, row);
		record(
			actor,
			{
				action: 'pilot.create',
				targetType: 'pilot',
				targetId: row.slug,
				targetLabel: row.name,
				pilotId: row.id,
				after: definitionView(created)
			},
			now,
			db
		);
		markDirty(db, row.id);
		return ok(created);
	});
}

/** The parts of a definition that are pre-registered: changing them after the lock is an amendment. */
function measurementChanges(
	before: PlanState,
	after: { stored: StoredPlan; timezone: string; windows: (string | null)[] }
): string[] {
	const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
	const old = before.stored;
	const changed: string[] = [];
	if (!same(old?.metrics ?? [], after.stored.metrics)) changed.push('metrics');
	if (!same(old?.economics ?? null, after.stored.economics ?? null)) changed.push('economics');
	if ((old?.minSamples ?? null) !== after.stored.minSamples) changed.push('minSamples');
	if ((old?.plannedPilotCases ?? null) !== (after.stored.plannedPilotCases ?? null)) {
		changed.push('plannedPilotCases');
	}
	if (!same(old?.evaluationGates ?? null, after.stored.evaluationGates ?? null)) {
		changed.push('evaluationGates');
	}
	const p = before.pilot;
	if (!same([p.baselineStart, p.baselineEnd], after.windows.slice(0, 2))) {
		changed.push('baselineWindow');
	}
	if (!same([p.pilotStart, p.pilotEnd], after.windows.slice(2))) changed.push('pilotWindow');
	if (p.timezone !== after.timezone) changed.push('timezone');
	return changed;
}

function needsReason(changed: string[]): Result<never> {
	return refusal(
		409,
		`The plan is locked since the pilot started; changing ${changed.join(', ')} needs "amendment": { "reason": "…" }.`,
		[{ path: 'amendment.reason', message: 'required to change a locked plan' }]
	);
}

/** Rollups depend on the metrics, the windows and the time zone: rebuild them when those move. */
function affectsRollups(changed: string[]): boolean {
	return changed.some((c) => ['metrics', 'baselineWindow', 'pilotWindow', 'timezone'].includes(c));
}

/** Replaces a pilot's definition (API `PUT /pilots/{slug}`); the slug never changes. */
export function replace(
	slug: string,
	input: DefinitionInput,
	context: Partial<ServiceContext> = {}
): Result<PlanState> {
	const { db, actor, now } = serviceContext(context);
	return db.transaction((): Result<PlanState> => {
		const current = readState(slug, db);
		if (!current) return refusal(404, `There is no pilot “${slug}”.`);
		if (input.slug !== slug) {
			return refusal(422, 'The slug of a pilot cannot change.', [
				{ path: 'slug', message: `must be “${slug}”, the slug in the URL` }
			]);
		}
		if (nameTaken(db, input.name, current.pilot.id)) {
			return refusal(409, `A pilot named “${input.name}” already exists.`, [
				{ path: 'name', message: 'already used by another pilot' }
			]);
		}
		const windows = [
			utc(input.baselineWindow.start),
			utc(input.baselineWindow.end),
			utc(input.pilotWindow.start),
			utc(input.pilotWindow.end)
		];
		const stored = storedPlanOf(input);
		const timezone = input.timezone ?? current.pilot.timezone;
		const changed = measurementChanges(current, { stored, timezone, windows });
		if (current.lockedAt !== null && changed.length > 0 && !input.amendment) {
			return needsReason(changed);
		}
		const at = now.toISOString();
		db.update(pilots)
			.set({
				name: input.name,
				process: input.process,
				timezone,
				baselineStart: windows[0],
				baselineEnd: windows[1],
				pilotStart: windows[2],
				pilotEnd: windows[3],
				charter: input.charter,
				governance: input.governance,
				updatedAt: at
			})
			.where(eq(pilots.id, current.pilot.id))
			.run();
		writePlan(db, current, stored, changed, input.amendment?.reason ?? null, actor, at);
		// Left out, the pilot's N for data.silent stays as it is.
		if (input.silentDays !== undefined && input.silentDays !== current.silentDays) {
			storeSilentDays(db, current.pilot.id, input.silentDays);
		}
		const next = readState(slug, db)!;
		if (affectsRollups(changed) && next.definition)
			rebuildRollups(db, next.pilot.id, next.definition);
		// The whole definition before and after: a renamed pilot or a blanked kill switch shows
		// here as clearly as a changed metric (which writePlan also records as plan.update).
		const before = definitionView(current);
		const after = definitionView(next);
		if (JSON.stringify(before) !== JSON.stringify(after)) {
			record(
				actor,
				{
					action: 'pilot.update',
					targetType: 'pilot',
					targetId: slug,
					targetLabel: next.pilot.name,
					pilotId: next.pilot.id,
					before,
					after,
					detail: input.amendment ? `amendment: ${input.amendment.reason}` : null
				},
				now,
				db
			);
		}
		markDirty(db, next.pilot.id);
		return ok(next);
	});
}

/**
 * Sets the working days without new events before the pilot's `data.silent` alert
 * (validated by `silentDaysSchema`); recorded as a change of the pilot when it changes.
 */
export function setSilentDays(
	slug: string,
	days: number,
	context: Partial<ServiceContext> = {}
): Result<PlanState> {
	const { db, actor, now } = serviceContext(context);
	return db.transaction((): Result<PlanState> => {
		const current = readState(slug, db);
		if (!current) return refusal(404, `There is no pilot “${slug}”.`);
		if (current.silentDays === days) return ok(current);
		storeSilentDays(db, current.pilot.id, days);
		record(
			actor,
			{
				action: 'pilot.update',
				targetType: 'pilot',
				targetId: slug,
				targetLabel: current.pilot.name,
				pilotId: current.pilot.id,
				before: { silentDays: current.silentDays },
				after: { silentDays: days }
			},
			now,
			db
		);
		return { ok: true, value: readState(slug, db)! };
	});
}

function writePlan(
	db: Db,
	current: PlanState,
	stored: StoredPlan,
	changed: string[],
	reason: string | null,
	actor: Actor,
	at: string
): void {
	const audit = (action: string, before: unknown): void =>
		record(
			actor,
			{
				action,
				targetType: 'plan',
				targetId: current.pilot.slug,
				targetLabel: current.pilot.name,
				pilotId: current.pilot.id,
				before,
				after: stored,
				detail: reason ? `amendment: ${reason}` : null
			},
			new Date(at),
			db
		);
	if (current.stored === null) {
		db.insert(plans)
			.values({ pilotId: current.pilot.id, definition: stored, version: 1, updatedAt: at })
			.run();
		audit('plan.create', null);
		return;
	}
	if (changed.length === 0) return;
	audit('plan.update', current.stored);
	db.update(plans)
		.set({ definition: stored, version: current.version + 1, updatedAt: at })
		.where(eq(plans.pilotId, current.pilot.id))
		.run();
	if (current.lockedAt !== null && reason !== null) {
		db.insert(planAmendments)
			.values({
				pilotId: current.pilot.id,
				reason,
				changed,
				previous: definitionView(current),
				amendedBy: actorLabel(actor),
				amendedAt: at
			})
			.run();
	}
}

/**
 * Brings the rollups in line with the pilot's current windows and time zone (after the pilot
 * form moved them before the lock); without both windows nothing counts.
 */
export function refreshRollups(db: Db, pilotId: number): void {
	const state = readStateById(pilotId, db);
	if (!state) return;
	if (state.definition) rebuildRollups(db, pilotId, state.definition);
	else deleteRollups(db, pilotId);
}

/** Replaces only the measurement plan (the plan page), keeping windows and charter. */
export function replacePlan(
	slug: string,
	plan: Pick<PlanDefinition, 'metrics' | 'economics' | 'minSamples' | 'evaluationGates'>,
	amendmentReason: string | null,
	context: Partial<ServiceContext> = {}
): Result<PlanState> {
	const { db, actor, now } = serviceContext(context);
	return db.transaction((): Result<PlanState> => {
		const current = readState(slug, db);
		if (!current) return refusal(404, `There is no pilot “${slug}”.`);
		const p = current.pilot;
		const stored = storedPlanOf({ ...plan } as PlanDefinition);
		const changed = measurementChanges(current, {
			stored,
			timezone: p.timezone,
			windows: [p.baselineStart, p.baselineEnd, p.pilotStart, p.pilotEnd]
		});
		if (current.lockedAt !== null && changed.length > 0 && amendmentReason === null) {
			return needsReason(changed);
		}
		const at = now.toISOString();
		writePlan(db, current, stored, changed, amendmentReason, actor, at);
		db.update(pilots).set({ updatedAt: at }).where(eq(pilots.id, p.id)).run();
		const next = readState(slug, db)!;
		if (affectsRollups(changed) && next.definition) rebuildRollups(db, p.id, next.definition);
		markDirty(db, p.id);
		return ok(next);
	});
}

/** Enters (or replaces) the baseline summary of one mean or proportion metric. */
export function putBaselineSummary(
	slug: string,
	metricKey: string,
	input: BaselineSummaryInput,
	context: Partial<ServiceContext> = {}
): Result<PlanState> {
	const { db, actor, now } = serviceContext(context);
	const by = actorLabel(actor);
	return db.transaction((): Result<PlanState> => {
		const current = readState(slug, db);
		if (!current) return refusal(404, `There is no pilot “${slug}”.`);
		if (!current.stored) {
			return refusal(409, 'Define the measurement plan before entering a baseline.');
		}
		const metric: MetricDefinition | undefined = current.stored.metrics.find(
			(m) => m.key === metricKey
		);
		if (!metric) {
			return refusal(404, `The plan has no metric “${metricKey}”.`, [
				{
					path: 'metricKey',
					message: `known metrics: ${current.stored.metrics.map((m) => m.key).join(', ')}`
				}
			]);
		}
		const previousSummary = Object.hasOwn(current.summaries, metricKey)
			? current.summaries[metricKey]
			: null;
		const isMean = 'mean' in input;
		if (metric.kind !== (isMean ? 'mean' : 'proportion')) {
			return refusal(422, `“${metricKey}” is a ${metric.kind} metric.`, [
				{
					path: isMean ? 'mean' : 'successes',
					message:
						metric.kind === 'mean'
							? 'a mean metric takes { n, mean, sd, source }'
							: metric.kind === 'proportion'
								? 'a proportion metric takes { n, successes, source }'
								: `a ${metric.kind} metric has no summary form: send its baseline events`
				}
			]);
		}
		const reason = input.amendment?.reason ?? null;
		if (current.lockedAt !== null && reason === null) {
			return needsReason([`the baseline of ${metricKey}`]);
		}
		const at = now.toISOString();
		const values = {
			pilotId: current.pilot.id,
			metricKey,
			n: input.n,
			mean: isMean ? input.mean : null,
			sd: isMean ? input.sd : null,
			successes: isMean ? null : input.successes,
			source: input.source,
			enteredAt: at
		};
		record(
			actor,
			{
				action: 'baseline.set',
				targetType: 'baseline_summary',
				targetId: `${current.pilot.slug}:${metricKey}`,
				targetLabel: `${metricKey} on ${current.pilot.name}`,
				pilotId: current.pilot.id,
				before: previousSummary,
				after: values,
				detail: reason ? `amendment: ${reason}` : null
			},
			now,
			db
		);
		db.insert(baselineSummaries)
			.values(values)
			.onConflictDoUpdate({
				target: [baselineSummaries.pilotId, baselineSummaries.metricKey],
				set: values
			})
			.run();
		if (current.lockedAt !== null && reason !== null) {
			db.insert(planAmendments)
				.values({
					pilotId: current.pilot.id,
					reason,
					changed: [`baseline.${metricKey}`],
					previous: { summary: previousSummary },
					amendedBy: by,
					amendedAt: at
				})
				.run();
		}
		const next = readState(slug, db)!;
		markDirty(db, next.pilot.id);
		return ok(next);
	});
}
