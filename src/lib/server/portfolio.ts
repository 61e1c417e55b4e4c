import { getDb, type Db } from './db';
import * as pilots from './pilots';
import * as plans from './plans';
import { impactReport } from './reports';

// The portfolio of API.md `GET /api/v1/pilots`: each pilot with its headline numbers, all
// computed from the rollups by the same report function as the pilot's own impact report.

export interface PortfolioEntry {
	slug: string;
	name: string;
	stage: string;
	process: string;
	primaryMetric: {
		key: string;
		label: string;
		verdict: string;
		baseline: number | null;
		pilot: number | null;
		relativeChange: { estimate: number; ci95: readonly [number, number] | null } | null;
		meetsTarget: boolean | null;
	} | null;
	netBenefit: {
		currency: string | null;
		annual: number | null;
		annualCi95: readonly [number | null, number | null] | null;
		toDate: number | null;
	} | null;
	recommendation: { decision: string; reasons: readonly string[] } | null;
	lastDecision: {
		decision: string;
		rationale: string;
		decidedAt: string;
		decidedBy: string | null;
	} | null;
}

export function portfolio(
	mayRead: (pilotId: number) => boolean,
	now: Date = new Date(),
	db: Db = getDb()
): PortfolioEntry[] {
	return pilots
		.list(db)
		.filter((pilot) => mayRead(pilot.id))
		.map((pilot) => {
			const state = plans.readStateById(pilot.id, db);
			const report = state ? impactReport(state, now, db) : null;
			const primary = report?.metrics.find((m) => m.role === 'primary') ?? null;
			return {
				slug: pilot.slug,
				name: pilot.name,
				stage: pilot.stage,
				process: pilot.process,
				primaryMetric: primary && {
					key: primary.key,
					label: primary.label,
					verdict: primary.verdict,
					baseline: primary.baseline.value,
					pilot: primary.pilot.value,
					relativeChange: primary.relativeChange && {
						estimate: primary.relativeChange.estimate,
						ci95: primary.relativeChange.ci95
					},
					meetsTarget: primary.meetsTarget
				},
				netBenefit: report && {
					currency: report.economics.currency,
					annual: report.economics.annualNetBenefit,
					annualCi95: report.economics.intervals.annualNetBenefit,
					toDate: report.economics.netToDate
				},
				recommendation: report && {
					decision: report.recommendation.decision,
					reasons: report.recommendation.reasons
				},
				lastDecision: pilot.lastDecision && {
					decision: pilot.lastDecision.decision,
					rationale: pilot.lastDecision.rationale,
					decidedAt: pilot.lastDecision.decidedAt,
					decidedBy: pilot.lastDecision.decidedBy
				}
			};
		});
}
