// Longer than most files, on purpose: creating, editing and moving a pilot through its lifecycle
// share the pilot's audit view and refusal messages.

import { asc, desc, eq, sql } from 'drizzle-orm';
import {
	availableTransitions,
	type DecisionKind,
	type PilotFacts,
	type StageAction
} from '$lib/domain/lifecycle';
import { readinessGaps, type ReadinessGap } from '$lib/domain/readiness';
import { slugify, uniqueSlug } from '$lib/domain/slug';
import { toDayWindow, toInstantWindow, type DayWindow } from '$lib/domain/windows';
import type { PilotForm } from '$lib/schemas/pilot';
import { recordPilotSync } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { ok, refusal, type Refusal, type Result } from '../result';
import {
	decisions,
	memberships,
	pilots,
	plans,
	type DecisionRow,
	type PilotRow
} from '../db/schema';
import { nameTaken, reservedSlugs } from './pilot-names';
import { changePilot } from './pilot-change';
import { measurementFacts } from './plan-facts';
import { refreshRollups } from './plans';
import { markDirty } from '../alerts/dirty';

// The pilots service: the only code that reads or writes pilots and their stage.

export interface Pilot extends PilotRow {
	baselineDays: DayWindow | null;
	pilotDays: DayWindow | null;
	readinessGaps: ReadinessGap[];
	lastDecision: DecisionRow | null;
}

/** A 409 whose messages belong to the fields of `paths` (the form shows them there). */
const refused = (detail: string, paths: string[], messages: string[] = [detail]): Refusal =>
	refusal(
		409,
		detail,
		paths.flatMap((path) => messages.map((message) => ({ path, message })))
	);

function toPilot(row: PilotRow, lastDecision: DecisionRow | null): Pilot {
	return {
		...row,
		baselineDays: dayWindow(row.baselineStart, row.baselineEnd, row.timezone),
		pilotDays: dayWindow(row.pilotStart, row.pilotEnd, row.timezone),
		readinessGaps: readinessGaps(row.charter, row.governance),
		lastDecision
	};
}

function dayWindow(start: string | null, end: string | null, zone: string): DayWindow | null {
	return start && end ? toDayWindow({ start, end }, zone) : null;
}

function latestDecisions(db: Db): Map<number, DecisionRow> {
	const rows = db
		.select()
		.from(decisions)
		.orderBy(asc(decisions.decidedAt), asc(decisions.id))
		.all();
	return new Map(rows.map((row) => [row.pilotId, row]));
}

export async function list(db: Db = getDb()): Promise<Pilot[]> {
	const latest = latestDecisions(db);
	return db
		.select()
		.from(pilots)
		.orderBy(desc(pilots.updatedAt), asc(pilots.name))
		.all()
		.map((row) => toPilot(row, latest.get(row.id) ?? null));
}

export async function read(slug: string, db: Db = getDb()): Promise<Pilot | null> {
	return readSync(slug, db);
}

/** read inside a transaction (synchronous, like every statement of one). */
function readSync(slug: string, db: Db): Pilot | null {
	const row = db.select().from(pilots).where(eq(pilots.slug, slug)).get();
	if (!row) return null;
	const last = db
		.select()
		.from(decisions)
		.where(eq(decisions.pilotId, row.id))
		.orderBy(desc(decisions.decidedAt), desc(decisions.id))
		.get();
	return toPilot(row, last ?? null);
}

export async function readById(id: number, db: Db = getDb()): Promise<Pilot | null> {
	const row = db.select({ slug: pilots.slug }).from(pilots).where(eq(pilots.id, id)).get();
	return row ? await read(row.slug, db) : null;
}

export async function count(db: Db = getDb()): Promise<number> {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(pilots)
			.get()?.n ?? 0
	);
}

const duplicateName = (name: string): Refusal =>
	refused(`A pilot named “${name}” already exists. Choose another name.`, ['name']);

function windowColumns(form: PilotForm) {
	const baseline = form.baselineWindow ? toInstantWindow(form.baselineWindow, form.timezone) : null;
	const pilot = form.pilotWindow ? toInstantWindow(form.pilotWindow, form.timezone) : null;
	return {
		baselineStart: baseline?.start ?? null,
		baselineEnd: baseline?.end ?? null,
		pilotStart: pilot?.start ?? null,
		pilotEnd: pilot?.end ?? null
	};
}

/** What the audit log keeps of a pilot: its editable fields, not derived ones. */
function auditView(pilot: Pilot): Record<string, unknown> {
	return {
		name: pilot.name,
		process: pilot.process,
		timezone: pilot.timezone,
		stage: pilot.stage,
		baselineWindow: pilot.baselineDays,
		pilotWindow: pilot.pilotDays,
		charter: pilot.charter,
		governance: pilot.governance
	};
}

/** Creates a draft; `ownerUserId` (whoever created it) owns it until they hand it over. */
export async function create(
	form: PilotForm,
	ownerUserId: number | null = null,
	context: Partial<ServiceContext> = {}
): Promise<Result<Pilot>> {
	const resolved = serviceContext(context);
	const { db, now } = resolved;
	return db.transaction((): Result<Pilot> => {
		if (nameTaken(db, form.name, null)) return duplicateName(form.name);
		const slug = uniqueSlug(
			slugify(form.name),
			(candidate) =>
				reservedSlugs.has(candidate) ||
				db.select({ id: pilots.id }).from(pilots).where(eq(pilots.slug, candidate)).get() !==
					undefined
		);
		const at = now.toISOString();
		db.insert(pilots)
			.values({
				slug,
				name: form.name,
				process: form.process,
				timezone: form.timezone,
				...windowColumns(form),
				charter: form.charter,
				governance: form.governance,
				stage: 'draft',
				createdAt: at,
				updatedAt: at,
				stageChangedAt: at
			})
			.run();
		const created = readSync(slug, db)!;
		if (ownerUserId !== null) {
			db.insert(memberships)
				.values({ pilotId: created.id, userId: ownerUserId, role: 'owner', createdAt: at })
				.run();
		}
		recordPilotSync(resolved, created, 'pilot.create', { after: auditView(created) });
		return ok(created);
	});
}

/** Replaces what the form edits. The slug never changes, so links stay valid. */
export async function update(
	slug: string,
	form: PilotForm,
	context: Partial<ServiceContext> = {}
): Promise<Result<Pilot>> {
	return changePilot(slug, context, readSync, async (current, resolved): Promise<Result<Pilot>> => {
		const { db, now } = resolved;
		if (nameTaken(db, form.name, current.id)) return duplicateName(form.name);
		const same = (a: DayWindow | null, b: DayWindow | null): boolean =>
			a?.firstDay === b?.firstDay && a?.lastDay === b?.lastDay;
		// Windows are compared as the days the form shows, so instants set through the API
		// survive an edit of the charter alone.
		const windowsMoved =
			current.timezone !== form.timezone ||
			!same(current.baselineDays, form.baselineWindow) ||
			!same(current.pilotDays, form.pilotWindow);
		if (windowsMoved && measurementFacts(db, current.id).lockedAt !== null) {
			return refused(
				'The windows and time zone are locked since the pilot started; change them as a plan amendment with a reason (PUT /api/v1/pilots/{slug}).',
				['baselineWindow.firstDay', 'pilotWindow.firstDay']
			);
		}
		db.update(pilots)
			.set({
				name: form.name,
				process: form.process,
				timezone: form.timezone,
				...(windowsMoved ? windowColumns(form) : {}),
				charter: form.charter,
				governance: form.governance,
				updatedAt: now.toISOString()
			})
			.where(eq(pilots.id, current.id))
			.run();
		if (windowsMoved) await refreshRollups(db, current.id);
		markDirty(db, current.id);
		const updated = readSync(slug, db)!;
		const change = { before: auditView(current), after: auditView(updated) };
		recordPilotSync(resolved, updated, 'pilot.update', change);
		return ok(updated);
	});
}

/** The facts the lifecycle's requirements are checked against. */
export async function lifecycleFacts(pilot: Pilot, db: Db = getDb()): Promise<PilotFacts> {
	return lifecycleFactsSync(pilot, db);
}

/** lifecycleFacts inside a transaction (synchronous, like every statement of one). */
function lifecycleFactsSync(pilot: Pilot, db: Db): PilotFacts {
	const measurement = measurementFacts(db, pilot.id);
	return {
		stage: pilot.stage,
		readinessGaps: pilot.readinessGaps,
		hasBaselineWindow: pilot.baselineDays !== null,
		hasPilotWindow: pilot.pilotDays !== null,
		hasPrimaryMetric: measurement.primaryMetric !== null,
		hasPrimaryBaseline: measurement.hasPrimaryBaseline
	};
}

export interface DecisionInput {
	decision: DecisionKind;
	rationale: string;
	decidedBy?: string | null;
	/** The recommendation and impact report of the moment, kept with the decision. */
	recommended?: string | null;
	report?: unknown;
}

/**
 * Moves the pilot along its lifecycle by one explicit action, refusing (409, with the
 * unmet requirements) when the action does not apply at this stage or lacks something.
 */
export async function changeStage(
	slug: string,
	action: StageAction,
	decision: DecisionInput | null,
	context: Partial<ServiceContext> = {}
): Promise<Result<Pilot>> {
	return changePilot(slug, context, readSync, (current, resolved): Result<Pilot> => {
		const { db, now } = resolved;
		const offered = availableTransitions(lifecycleFactsSync(current, db)).find(
			(t) => t.transition.action === action
		);
		if (!offered) {
			return refused(`This action is not available while the pilot is ${current.stage}.`, [
				'action'
			]);
		}
		if (offered.unmet.length > 0) {
			return refused(
				`This action needs what is still missing: ${offered.unmet.join('; ')}`,
				['action'],
				offered.unmet
			);
		}
		if (action === 'record-decision') {
			if (!decision) return refused('Choose a decision: scale, correct or discard', ['decision']);
			db.insert(decisions)
				.values({
					pilotId: current.id,
					decision: decision.decision,
					rationale: decision.rationale,
					decidedBy: decision.decidedBy ?? null,
					decidedAt: now.toISOString(),
					recommended: decision.recommended ?? null,
					report: decision.report ?? null
				})
				.run();
		}
		const at = now.toISOString();
		if (action === 'start-pilot') {
			// Pre-registration: from here on the plan and baseline change only by amendment.
			db.update(plans).set({ lockedAt: at }).where(eq(plans.pilotId, current.id)).run();
		}
		db.update(pilots)
			.set({ stage: offered.transition.to, stageChangedAt: at, updatedAt: at })
			.where(eq(pilots.id, current.id))
			.run();
		const changed = readSync(slug, db)!;
		markDirty(db, current.id);
		recordPilotSync(resolved, current, `pilot.stage.${action}`, {
			before: { stage: current.stage },
			after: {
				stage: changed.stage,
				// The frozen report stays with the decision, not in the audit log.
				...(decision ? { decision: { ...decision, report: undefined } } : {})
			}
		});
		return ok(changed);
	});
}
