import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { first } from '../db/statements';
import { baselineSummaries, dailyStats, plans } from '../db/schema';

/** What the lifecycle needs to know about a pilot's measurement plan and baseline. */
export interface MeasurementFacts {
	hasPlan: boolean;
	primaryMetric: string | null;
	/** Baseline-window events for the primary metric, or a baseline summary for it. */
	hasPrimaryBaseline: boolean;
	lockedAt: string | null;
}

export async function measurementFacts(db: Db, pilotId: number): Promise<MeasurementFacts> {
	const plan = await first(db.select().from(plans).where(eq(plans.pilotId, pilotId)));
	if (!plan)
		return { hasPlan: false, primaryMetric: null, hasPrimaryBaseline: false, lockedAt: null };
	const primary = plan.definition.metrics.find((m) => m.role === 'primary')?.key ?? null;
	let hasPrimaryBaseline = false;
	if (primary !== null) {
		const measured = await first(
			db
				.select({ n: sql<number>`count(*)` })
				.from(dailyStats)
				.where(
					and(
						eq(dailyStats.pilotId, pilotId),
						eq(dailyStats.metricKey, primary),
						eq(dailyStats.phase, 'baseline'),
						eq(dailyStats.cohort, 'ai'),
						gt(dailyStats.n, 0)
					)
				)
		);
		const summary = await first(
			db
				.select({ n: baselineSummaries.n })
				.from(baselineSummaries)
				.where(
					and(eq(baselineSummaries.pilotId, pilotId), eq(baselineSummaries.metricKey, primary))
				)
		);
		hasPrimaryBaseline = (measured?.n ?? 0) > 0 || summary !== undefined;
	}
	return { hasPlan: true, primaryMetric: primary, hasPrimaryBaseline, lockedAt: plan.lockedAt };
}
