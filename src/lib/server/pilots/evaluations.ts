import { and, asc, desc, eq } from 'drizzle-orm';
import type { EvaluationCase } from '$lib/domain/evaluation-csv';
import type { EvaluationRunInput } from '$lib/schemas/evaluation';
import { record } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows, run, transaction } from '../db/statements';
import { markDirty } from '../alerts/dirty';
import { evaluationCases, evaluationRuns, type EvaluationRunRow } from '../db/schema';

// The evaluations service: quality runs of the AI per pilot, newest first.

export async function create(
	pilot: { id: number; slug: string },
	input: EvaluationRunInput,
	source: EvaluationRunRow['source'],
	cases: EvaluationCase[] = [],
	context: Partial<ServiceContext> = {}
): Promise<EvaluationRunRow> {
	const { db, actor, now } = serviceContext(context);
	return transaction(db, async (tx) => {
		const row = await first(
			tx
				.insert(evaluationRuns)
				.values({
					pilotId: pilot.id,
					name: input.name,
					runAt: input.runAt ? new Date(input.runAt).toISOString() : now.toISOString(),
					criteria: input.criteria,
					source,
					recordedBy: actor.label,
					createdAt: now.toISOString()
				})
				.returning()
		);
		for (const c of cases) {
			await run(
				tx.insert(evaluationCases).values({
					runId: row.id,
					caseId: c.caseId,
					criterion: c.criterion,
					passed: c.passed,
					note: c.note
				})
			);
		}
		await record(
			actor,
			{
				action: 'evaluation.create',
				targetType: 'evaluation_run',
				targetId: row.id,
				targetLabel: `${row.name} on ${pilot.slug}`,
				pilotId: pilot.id,
				after: {
					name: row.name,
					runAt: row.runAt,
					criteria: row.criteria,
					source,
					cases: cases.length
				}
			},
			now,
			tx
		);
		await markDirty(tx, pilot.id);
		return row;
	});
}

export async function list(pilotId: number, db: Db = getDb()): Promise<EvaluationRunRow[]> {
	return rows(
		db
			.select()
			.from(evaluationRuns)
			.where(eq(evaluationRuns.pilotId, pilotId))
			.orderBy(desc(evaluationRuns.runAt), desc(evaluationRuns.id))
	);
}

/** The run that counts for the gates: the latest by its run time. */
export async function latest(pilotId: number, db: Db = getDb()): Promise<EvaluationRunRow | null> {
	const row = await first(
		db
			.select()
			.from(evaluationRuns)
			.where(eq(evaluationRuns.pilotId, pilotId))
			.orderBy(desc(evaluationRuns.runAt), desc(evaluationRuns.id))
			.limit(1)
	);
	return row ?? null;
}

/** The failed cases of an uploaded run, with the reviewers' notes. */
export async function failures(
	runId: number,
	db: Db = getDb()
): Promise<{ caseId: string; criterion: string; note: string | null }[]> {
	return rows(
		db
			.select({
				caseId: evaluationCases.caseId,
				criterion: evaluationCases.criterion,
				note: evaluationCases.note
			})
			.from(evaluationCases)
			.where(and(eq(evaluationCases.runId, runId), eq(evaluationCases.passed, false)))
			.orderBy(asc(evaluationCases.criterion), asc(evaluationCases.caseId))
	);
}
