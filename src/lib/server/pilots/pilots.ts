// Longer than most files, on purpose: creating, editing and moving a pilot through its lifecycle
// share the pilot's audit view and refusal messages.

import { asc, desc, eq, like, or, sql } from 'drizzle-orm';
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
import { recordPilot } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows, run, transaction } from '../db/statements';
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

async function latestDecisions(db: Db): Promise<Map<number, DecisionRow>> {
	const all = await rows(
		db.select().from(decisions).orderBy(asc(decisions.decidedAt), asc(decisions.id))
	);
	return new Map(all.map((row) => [row.pilotId, row]));
}

export async function list(db: Db = getDb()): Promise<Pilot[]> {
	const latest = await latestDecisions(db);
	// Names order by the engine's collation: equal update times are rare, and only they differ.
	const all = await rows(
		db.select().from(pilots).orderBy(desc(pilots.updatedAt), asc(pilots.name))
	);
	return all.map((row) => toPilot(row, latest.get(row.id) ?? null));
}

/** The pilot `slug` with its last decision; inside a transaction, pass its `tx`. */
export async function read(slug: string, db: Db = getDb()): Promise<Pilot | null> {
	const row = await first(db.select().from(pilots).where(eq(pilots.slug, slug)));
	if (!row) return null;
	const last = await first(
		db
			.select()
			.from(decisions)
			.where(eq(decisions.pilotId, row.id))
			.orderBy(desc(decisions.decidedAt), desc(decisions.id))
	);
	return toPilot(row, last ?? null);
}

export async function readById(id: number, db: Db = getDb()): Promise<Pilot | null> {
	const row = await first(db.select({ slug: pilots.slug }).from(pilots).where(eq(pilots.id, id)));
	return row ? await read(row.slug, db) : null;
}

export async function count(db: Db = getDb()): Promise<number> {
	const row = await first(db.select({ n: sql<number>`count(*)` }).from(pilots));
	return row?.n ?? 0;
}

/** The slugs in use among `base` and its numbered forms ("base-2", "base-3", …). */
async function slugsLike(db: Db, base: string): Promise<Set<string>> {
	// slugify leaves only letters, digits and hyphens: no LIKE wildcard in `base`.
	const found = await rows(
		db
			.select({ slug: pilots.slug })
			.from(pilots)
			.where(or(eq(pilots.slug, base), like(pilots.slug, `${base}-%`)))
	);
	return new Set(found.map((row) => row.slug));
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
	return transaction(resolved.db, async (tx): Promise<Result<Pilot>> => {
		if (await nameTaken(tx, form.name, null)) return duplicateName(form.name);
		const base = slugify(form.name);
		const taken = await slugsLike(tx, base);
		const slug = uniqueSlug(
			base,
			(candidate) => reservedSlugs.has(candidate) || taken.has(candidate)
		);
		const at = resolved.now.toISOString();
		await run(
			tx.insert(pilots).values({
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
		);
		const created = (await read(slug, tx))!;
		if (ownerUserId !== null) {
			await run(
				tx
					.insert(memberships)
					.values({ pilotId: created.id, userId: ownerUserId, role: 'owner', createdAt: at })
			);
		}
		await recordPilot({ ...resolved, db: tx }, created, 'pilot.create', {
			after: auditView(created)
		});
		return ok(created);
	});
}

/** Replaces what the form edits. The slug never changes, so links stay valid. */
export async function update(
	slug: string,
	form: PilotForm,
	context: Partial<ServiceContext> = {}
): Promise<Result<Pilot>> {
	return changePilot(slug, context, read, async (current, resolved): Promise<Result<Pilot>> => {
		const { db, now } = resolved;
		if (await nameTaken(db, form.name, current.id)) return duplicateName(form.name);
		const same = (a: DayWindow | null, b: DayWindow | null): boolean =>
			a?.firstDay === b?.firstDay && a?.lastDay === b?.lastDay;
		// Windows are compared as the days the form shows, so instants set through the API
		// survive an edit of the charter alone.
		const windowsMoved =
			current.timezone !== form.timezone ||
			!same(current.baselineDays, form.baselineWindow) ||
			!same(current.pilotDays, form.pilotWindow);
		if (windowsMoved && (await measurementFacts(db, current.id)).lockedAt !== null) {
			return refused(
				'The windows and time zone are locked since the pilot started; change them as a plan amendment with a reason (PUT /api/v1/pilots/{slug}).',
				['baselineWindow.firstDay', 'pilotWindow.firstDay']
			);
		}
		await run(
			db
				.update(pilots)
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
		);
		if (windowsMoved) await refreshRollups(db, current.id);
		await markDirty(db, current.id);
		const updated = (await read(slug, db))!;
		const change = { before: auditView(current), after: auditView(updated) };
		await recordPilot(resolved, updated, 'pilot.update', change);
		return ok(updated);
	});
}

/** The facts the lifecycle's requirements are checked against. */
export async function lifecycleFacts(pilot: Pilot, db: Db = getDb()): Promise<PilotFacts> {
	const measurement = await measurementFacts(db, pilot.id);
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
	return changePilot(slug, context, read, async (current, resolved): Promise<Result<Pilot>> => {
		const { db, now } = resolved;
		const offered = availableTransitions(await lifecycleFacts(current, db)).find(
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
			await run(
				db.insert(decisions).values({
					pilotId: current.id,
					decision: decision.decision,
					rationale: decision.rationale,
					decidedBy: decision.decidedBy ?? null,
					decidedAt: now.toISOString(),
					recommended: decision.recommended ?? null,
					report: decision.report ?? null
				})
			);
		}
		const at = now.toISOString();
		if (action === 'start-pilot') {
			// Pre-registration: from here on the plan and baseline change only by amendment.
			await run(db.update(plans).set({ lockedAt: at }).where(eq(plans.pilotId, current.id)));
		}
		await run(
			db
				.update(pilots)
				.set({ stage: offered.transition.to, stageChangedAt: at, updatedAt: at })
				.where(eq(pilots.id, current.id))
		);
		const changed = (await read(slug, db))!;
		await markDirty(db, current.id);
		await recordPilot(resolved, current, `pilot.stage.${action}`, {
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
