import type { QualityStatus } from '$lib/domain/wording';
import { summarizeQuality, type QualitySummary } from '$lib/domain/evaluation-summary';
import type { PlanDefinition } from '$lib/schemas/plan';
import { getDb, type Db } from '../db';
import * as evaluations from './evaluations';
import * as plans from './plans';

export type { QualityStatus } from '$lib/domain/wording';

export interface PilotQuality {
	status: QualityStatus;
	summary: QualitySummary;
	minSamples: number;
}

/**
 * A pilot's quality gates on its latest run: the summary the quality page shows, and the one
 * word the portfolio shows. `plan` saves a second read when the caller has it already.
 */
export async function pilotQuality(
	pilotId: number,
	plan?: PlanDefinition | null,
	db: Db = getDb()
): Promise<PilotQuality> {
	if (plan === undefined) plan = (await plans.readStateById(pilotId, db))?.definition ?? null;
	const minSamples = plan?.minSamples ?? 30;
	const summary = summarizeQuality(
		await evaluations.list(pilotId, db),
		plan?.evaluationGates,
		minSamples
	);
	const statuses = summary.gates.map((g) => g.status);
	const status: QualityStatus =
		statuses.length === 0
			? 'no_gates'
			: statuses.includes('failed')
				? 'failing'
				: statuses.includes('untested')
					? 'untested'
					: 'passing';
	return { status, summary, minSamples };
}
