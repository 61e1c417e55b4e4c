import { summarizeQuality, type QualitySummary } from '$lib/domain/evaluation-summary';
import { getDb, type Db } from './db';
import * as evaluations from './evaluations';
import * as plans from './plans';

export type QualityStatus = 'passing' | 'failing' | 'untested' | 'no_gates';

/** A pilot's quality gates on its latest run, summed up in one word for the portfolio. */
export function qualityStatus(
	pilotId: number,
	db: Db = getDb()
): { status: QualityStatus; summary: QualitySummary } {
	const plan = plans.readStateById(pilotId, db)?.definition ?? null;
	const summary = summarizeQuality(
		evaluations.list(pilotId, db),
		plan?.evaluationGates,
		plan?.minSamples ?? 30
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
	return { status, summary };
}
