import { eq } from 'drizzle-orm';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { Db } from '../db';
import { recordPilotSync } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { ok, refusal, type Result } from '../result';
import { nameTaken, reservedSlugs } from './pilot-names';
import { plans, pilots } from '../db/schema';
import { deleteRollups, rebuildRollups } from '../ingest/ingest';
import { markDirty } from '../alerts/dirty';
import { storeSilentDays } from '../alerts/silence';
import {
	definitionView,
	readStateByIdSync,
	readStateSync,
	stateOf,
	type PlanState
} from './plan-state';
import {
	changePlan,
	measurementChanges,
	needsReason,
	storedPlanOf,
	writePlan,
	type DefinitionInput
} from './plan-writes';

// The measurement plan and the baseline: the pre-registered half of a pilot. Until the pilot
// starts they change freely; afterwards only by an amendment with a reason, which is recorded
// with what it replaced and shown on every report.

// The plans service is one module to its callers: reads and baseline summaries live in their own
// files and are answered from here too.
export {
	definitionView,
	planDefinition,
	readDefinition,
	readState,
	readStateById,
	type AmendmentView,
	type PlanState
} from './plan-state';
export { putBaselineSummary } from './baseline-summaries';
export type { DefinitionInput } from './plan-writes';

const utc = (instant: string): string => new Date(instant).toISOString();

/** Creates a pilot from an API definition (a draft, with its plan). */
export async function create(
	input: DefinitionInput,
	context: Partial<ServiceContext> = {}
): Promise<Result<PlanState>> {
	const resolved = serviceContext(context);
	const { db, now } = resolved;
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
		recordPilotSync(resolved, row, 'pilot.create', { after: definitionView(created) });
		markDirty(db, row.id);
		return ok(created);
	});
}

/** Rollups depend on the metrics, the windows and the time zone: rebuild them when those move. */
function affectsRollups(changed: string[]): boolean {
	return changed.some((c) => ['metrics', 'baselineWindow', 'pilotWindow', 'timezone'].includes(c));
}

/** Replaces a pilot's definition (API `PUT /pilots/{slug}`); the slug never changes. */
export async function replace(
	slug: string,
	input: DefinitionInput,
	context: Partial<ServiceContext> = {}
): Promise<Result<PlanState>> {
	return changePlan(slug, context, async (current, resolved): Promise<Result<PlanState>> => {
		const { db, actor } = resolved;
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
		const at = resolved.now.toISOString();
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
		const next = readStateSync(slug, db)!;
		if (affectsRollups(changed) && next.definition)
			await rebuildRollups(db, next.pilot.id, next.definition);
		// The whole definition before and after: a renamed pilot or a blanked kill switch shows
		// here as clearly as a changed metric (which writePlan also records as plan.update).
		const before = definitionView(current);
		const after = definitionView(next);
		if (JSON.stringify(before) !== JSON.stringify(after)) {
			const detail = input.amendment ? `amendment: ${input.amendment.reason}` : null;
			recordPilotSync(resolved, next.pilot, 'pilot.update', { before, after, detail });
		}
		markDirty(db, next.pilot.id);
		return ok(next);
	});
}

/**
 * Sets the working days without new events before the pilot's `data.silent` alert
 * (validated by `silentDaysSchema`); recorded as a change of the pilot when it changes.
 */
export async function setSilentDays(
	slug: string,
	days: number,
	context: Partial<ServiceContext> = {}
): Promise<Result<PlanState>> {
	return changePlan(slug, context, (current, resolved): Result<PlanState> => {
		if (current.silentDays === days) return ok(current);
		const { db } = resolved;
		storeSilentDays(db, current.pilot.id, days);
		recordPilotSync(resolved, current.pilot, 'pilot.update', {
			before: { silentDays: current.silentDays },
			after: { silentDays: days }
		});
		return { ok: true, value: readStateSync(slug, db)! };
	});
}

/**
 * Brings the rollups in line with the pilot's current windows and time zone (after the pilot
 * form moved them before the lock); without both windows nothing counts.
 */
export async function refreshRollups(db: Db, pilotId: number): Promise<void> {
	const state = readStateByIdSync(pilotId, db);
	if (!state) return;
	if (state.definition) await rebuildRollups(db, pilotId, state.definition);
	else await deleteRollups(db, pilotId);
}

/** Replaces only the measurement plan (the plan page), keeping windows and charter. */
export async function replacePlan(
	slug: string,
	plan: Pick<PlanDefinition, 'metrics' | 'economics' | 'minSamples' | 'evaluationGates'>,
	amendmentReason: string | null,
	context: Partial<ServiceContext> = {}
): Promise<Result<PlanState>> {
	return changePlan(slug, context, async (current, { db, actor, now }) => {
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
		const next = readStateSync(slug, db)!;
		if (affectsRollups(changed) && next.definition) await rebuildRollups(db, p.id, next.definition);
		markDirty(db, p.id);
		return ok(next);
	});
}
