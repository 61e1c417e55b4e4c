import type { ApiDecision } from '$lib/schemas/decision';
import type { Actor } from './audit';
import { getDb, type Db } from './db';
import * as pilots from './pilots';
import type { PlanOutcome, PlanState } from './plans';
import { impactReport } from './reports';

// Decisions through the API: stored with who, when, the recommendation of the moment and the
// impact report it was based on. A decision other than the recommendation is an override and
// must say why.

const MIN_OVERRIDE_RATIONALE = 20;

export interface RecordedDecision {
	decision: string;
	rationale: string;
	decidedBy: string | null;
	decidedAt: string;
	recommended: string | null;
	override: boolean;
}

export function recordDecision(
	state: PlanState,
	input: ApiDecision,
	decidedBy: string | null,
	actor: Actor,
	now: Date = new Date(),
	db: Db = getDb()
): PlanOutcome<RecordedDecision> {
	if (state.pilot.stage !== 'running') {
		return {
			ok: false,
			status: 409,
			detail: `The pilot is ${state.pilot.stage}: a decision is recorded while it runs.`,
			errors: []
		};
	}
	const report = impactReport(state, now, db);
	const recommended = report?.recommendation.decision ?? null;
	const override = recommended !== input.decision;
	if (override && input.rationale.length < MIN_OVERRIDE_RATIONALE) {
		return {
			ok: false,
			status: 422,
			detail: `This decision overrides the recommendation (${recommended ?? 'none: the pilot has no plan'}): say why.`,
			errors: [
				{
					path: 'rationale',
					message: `an override needs a rationale of at least ${MIN_OVERRIDE_RATIONALE} characters`
				}
			]
		};
	}
	const changed = pilots.changeStage(
		state.pilot.slug,
		'record-decision',
		{ decision: input.decision, rationale: input.rationale, decidedBy, recommended, report },
		now,
		db,
		actor
	);
	if (!changed.ok) {
		return {
			ok: false,
			status: changed.status,
			detail:
				Object.values(changed.errors).flat().join(' ') || 'The decision cannot be recorded now.',
			errors: []
		};
	}
	const stored = changed.value.lastDecision!;
	return {
		ok: true,
		value: {
			decision: stored.decision,
			rationale: stored.rationale,
			decidedBy: stored.decidedBy,
			decidedAt: stored.decidedAt,
			recommended,
			override
		}
	};
}
