import { isOverride } from '$lib/domain/override';
import { summariseGuardrails, windowProgress, type PortfolioRow } from '$lib/domain/portfolio-view';
import { getDb, type Db } from '../db';
import * as memberships from '../auth/memberships';
import * as pilots from '../pilots/pilots';
import * as plans from '../pilots/plans';
import type { PlanState } from '../pilots/plans';
import { pilotQuality } from '../pilots/quality';
import type { ImpactReport } from '$lib/metrics';
import { readTransaction } from './kept';
import { impactReport } from './reports';

// The portfolio of docs/api.md `GET /api/v1/pilots`: each pilot with its headline numbers, all
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

export async function portfolio(
	mayRead: (pilotId: number) => boolean | Promise<boolean>,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<PortfolioEntry[]> {
	return withHeadlines(mayRead, now, db, async (pilot, _state, report) => {
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

/**
 * The portfolio page's rows: every pilot the caller may read with its stage, owner, days run
 * and left, primary metric, guardrails, money and decisions. One impact report per pilot, from
 * the rollups, so the cost does not grow with the number of events.
 */
export async function portfolioRows(
	mayRead: (pilotId: number) => boolean | Promise<boolean>,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<PortfolioRow[]> {
	return withHeadlines(
		mayRead,
		now,
		db,
		async (pilot, state, report, tx): Promise<PortfolioRow> => {
			const owner =
				pilot.charter.businessOwner.trim() ||
				(await memberships.list(pilot.id, tx))
					.filter((m) => m.role === 'owner')
					.map((m) => m.name)
					.join(', ') ||
				null;
			const economics = report?.economics ?? null;
			const last = pilot.lastDecision;
			return {
				slug: pilot.slug,
				name: pilot.name,
				process: pilot.process,
				stage: pilot.stage,
				owner,
				readinessGaps: pilot.readinessGaps.length,
				quality: (await pilotQuality(pilot.id, state?.definition ?? null, tx)).status,
				days: windowProgress(
					pilot.pilotStart && pilot.pilotEnd
						? { start: pilot.pilotStart, end: pilot.pilotEnd }
						: null,
					now
				),
				primary: report?.metrics.find((m) => m.role === 'primary') ?? null,
				guardrails: summariseGuardrails(report?.metrics ?? []),
				currency: economics?.currency ?? null,
				netToDate: economics && {
					value: economics.netToDate,
					ci95: economics.intervals.netToDate
				},
				annualNet: economics && {
					value: economics.annualNetBenefit,
					ci95: economics.intervals.annualNetBenefit
				},
				recommendation: report && {
					decision: report.recommendation.decision,
					reason: report.recommendation.reasons[0] ?? null
				},
				lastDecision: last && {
					id: last.id,
					decision: last.decision,
					recommended: last.recommended,
					override: isOverride(last.decision, last.recommended),
					decidedAt: last.decidedAt,
					decidedBy: last.decidedBy
				}
			};
		}
	);
}

/**
 * `row` of every pilot `mayRead` lets the caller see, in the portfolio's order, with its plan
 * state and its headline impact report (null without a plan). Each pilot is read in a read
 * transaction of its own (one snapshot of that pilot), and `row` reads through the transaction's
 * handle it is given. The pilots' transactions run side by side: on PostgreSQL each on a
 * connection of the pool; on SQLite they take the connection one after the other.
 */
async function withHeadlines<T>(
	mayRead: (pilotId: number) => boolean | Promise<boolean>,
	now: Date,
	db: Db,
	row: (
		pilot: pilots.Pilot,
		state: PlanState | null,
		report: ImpactReport | null,
		tx: Db
	) => Promise<T>
): Promise<T[]> {
	const readable: pilots.Pilot[] = [];
	for (const pilot of await pilots.list(db)) if (await mayRead(pilot.id)) readable.push(pilot);
	const rows = await Promise.all(
		readable.map((pilot) =>
			readTransaction(db, async (tx) => {
				// A pilot deleted since the list was read is left out.
				const state = await plans.readStateById(pilot.id, tx);
				if (!state) return null;
				const report = await impactReport(state, now, tx, 'headline');
				return row(pilot, state, report, tx);
			})
		)
	);
	return rows.filter((r): r is Awaited<T> => r !== null);
}
