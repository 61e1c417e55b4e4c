import { eq } from 'drizzle-orm';
import type { DefinitionExtras } from '$lib/schemas/definition';
import type { PlanDefinition } from '$lib/schemas/plan';
import { type Db } from '../db';
import { recordSync, type Actor } from '../audit/audit';
import { actorLabel, type ServiceContext } from '../context';
import { refusal, type Result } from '../result';
import { planAmendments, plans, type StoredPlan } from '../db/schema';

import { changePilot } from './pilot-change';
import { definitionView, readStateSync, type PlanState } from './plan-state';

// What the writes of a plan share: the stored form of a plan, what changed against the
// pre-registered one, the refusal of a locked change without a reason, and the write itself with
// its audit entry and amendment.

export type DefinitionInput = PlanDefinition & DefinitionExtras;

/** A write of a pilot's plan state in one transaction (`changePilot` with the state). */
export async function changePlan<T>(
	slug: string,
	context: Partial<ServiceContext>,
	change: (current: PlanState, context: ServiceContext) => Result<T> | Promise<Result<T>>
): Promise<Result<T>> {
	return changePilot(slug, context, readStateSync, change);
}

export function storedPlanOf(input: PlanDefinition): StoredPlan {
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

/** The parts of a definition that are pre-registered: changing them after the lock is an amendment. */
export function measurementChanges(
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

export function needsReason(changed: string[]): Result<never> {
	return refusal(
		409,
		`The plan is locked since the pilot started; changing ${changed.join(', ')} needs "amendment": { "reason": "…" }.`,
		[{ path: 'amendment.reason', message: 'required to change a locked plan' }]
	);
}

export function writePlan(
	db: Db,
	current: PlanState,
	stored: StoredPlan,
	changed: string[],
	reason: string | null,
	actor: Actor,
	at: string
): void {
	const audit = (action: string, before: unknown): void =>
		recordSync(
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
		storeAmendment(db, current, reason, changed, definitionView(current), actor, at);
	}
}

/** Records an amendment of a locked plan: what changed, why, and what it replaced. */
export function storeAmendment(
	db: Db,
	current: PlanState,
	reason: string,
	changed: string[],
	previous: unknown,
	actor: Actor,
	at: string
): void {
	db.insert(planAmendments)
		.values({
			pilotId: current.pilot.id,
			reason,
			changed,
			previous,
			amendedBy: actorLabel(actor),
			amendedAt: at
		})
		.run();
}
