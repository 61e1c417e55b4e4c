import { and, desc, eq, sql } from 'drizzle-orm';
import { isOverride, overrideRationaleProblem } from '$lib/domain/override';
import type { ImpactReport } from '$lib/metrics';
import type { DecisionInput } from '$lib/schemas/decision';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows } from '../db/statements';
import { ok, refusal, type Result } from '../result';
import { decisions, type DecisionRow } from '../db/schema';
import * as pilots from './pilots';
import type { PlanState } from './plans';
import { impactReport } from '../reports/reports';

// Decisions through the API: stored with who, when, the recommendation of the moment and the
// impact report it was based on. A decision other than the recommendation is an override and
// must say why.

export interface RecordedDecision {
	decision: string;
	rationale: string;
	decidedBy: string | null;
	decidedAt: string;
	recommended: string | null;
	override: boolean;
}

/** `decidedBy` is the name the log shows (a person's name, or who called the API). */
export async function recordDecision(
	state: PlanState,
	input: DecisionInput,
	decidedBy: string | null,
	context: Partial<ServiceContext> = {}
): Promise<Result<RecordedDecision>> {
	const { db, now } = serviceContext(context);
	if (state.pilot.stage !== 'running') {
		return refusal(409, `The pilot is ${state.pilot.stage}: a decision is recorded while it runs.`);
	}
	const report = await impactReport(state, now, db);
	const recommended = report?.recommendation.decision ?? null;
	// With no recommendation to agree with, every decision must argue its case.
	const override = recommended === null || isOverride(input.decision, recommended);
	const problem = override ? overrideRationaleProblem(input.rationale, recommended) : null;
	if (problem !== null) return refusal(422, problem, [{ path: 'rationale', message: problem }]);
	// changeStage checks the stage again inside its own transaction, with the decision it stores.
	const changed = await pilots.changeStage(
		state.pilot.slug,
		'record-decision',
		{ decision: input.decision, rationale: input.rationale, decidedBy, recommended, report },
		{ ...context, db, now }
	);
	if (!changed.ok) {
		const messages = changed.errors.map((e) => e.message).join(' ');
		return refusal(changed.status, messages || 'The decision cannot be recorded now.');
	}
	const stored = changed.value.lastDecision!;
	return ok({
		decision: stored.decision,
		rationale: stored.rationale,
		decidedBy: stored.decidedBy,
		decidedAt: stored.decidedAt,
		recommended,
		override
	});
}

/** A stored decision as the log shows it; the frozen report is read one at a time. */
export interface LoggedDecision {
	id: number;
	decision: DecisionRow['decision'];
	rationale: string;
	decidedBy: string | null;
	decidedAt: string;
	recommended: string | null;
	override: boolean;
	hasReport: boolean;
}

function logged(row: Omit<DecisionRow, 'report'> & { hasReport: boolean }): LoggedDecision {
	return {
		id: row.id,
		decision: row.decision,
		rationale: row.rationale,
		decidedBy: row.decidedBy,
		decidedAt: row.decidedAt,
		recommended: row.recommended,
		override: isOverride(row.decision, row.recommended),
		hasReport: row.hasReport
	};
}

/** A pilot's decisions, newest first, without their (large) frozen reports. */
export async function list(pilotId: number, db: Db = getDb()): Promise<LoggedDecision[]> {
	const found = await rows(
		db
			.select({
				id: decisions.id,
				pilotId: decisions.pilotId,
				decision: decisions.decision,
				rationale: decisions.rationale,
				decidedBy: decisions.decidedBy,
				decidedAt: decisions.decidedAt,
				recommended: decisions.recommended,
				hasReport: sql<number>`CASE WHEN ${decisions.report} IS NOT NULL THEN 1 ELSE 0 END`
			})
			.from(decisions)
			.where(eq(decisions.pilotId, pilotId))
			.orderBy(desc(decisions.decidedAt), desc(decisions.id))
	);
	return found.map((row) => logged({ ...row, hasReport: Boolean(row.hasReport) }));
}

/** One decision of a pilot with the impact report it rested on, exactly as it was stored. */
export async function read(
	pilotId: number,
	id: number,
	db: Db = getDb()
): Promise<(LoggedDecision & { report: ImpactReport | null }) | null> {
	const row = await first(
		db
			.select()
			.from(decisions)
			.where(and(eq(decisions.pilotId, pilotId), eq(decisions.id, id)))
	);
	if (!row) return null;
	return {
		...logged({ ...row, hasReport: row.report !== null }),
		// Stored by `recordDecision` from `impactReport`, so it has the report's shape.
		report: (row.report as ImpactReport | null) ?? null
	};
}
