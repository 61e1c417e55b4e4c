import type { PhaseStats } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { Db } from '../db';
import { sqlRows } from '../db/statements';
import { statsOfSums, type RollupSums } from './rollup-stats';
import type { Phase } from '$lib/domain/terms';

// Per-segment statistics (team, channel, case type) from the `segment_stats` rollup: one row
// per segment, metric and phase, whatever the number of events. The AI cohort only, and no
// quantile metrics: segments compare the pilot's own cases before and after, and a quantile
// would need its values per segment.

/** One metric's statistics in one segment, per phase; `null` where the segment has no case. */
export interface SegmentMetricStats {
	baseline: PhaseStats | null;
	pilot: PhaseStats | null;
}

/** Per segment (in name order), per metric key: the segment's statistics of that metric. */
export type SegmentStats = Record<string, Record<string, SegmentMetricStats>>;

interface SegmentSumsRow extends RollupSums {
	segment: string;
	metric_key: string;
	phase: Phase;
}

/**
 * The AI cohort's sufficient statistics per segment, for every mean, proportion and ratio
 * metric of the plan (in the shapes of `loadStats`: 'moments', or 'ratio'). Every such metric
 * is listed under each segment that has a case, with `null` for a phase without one. Events
 * without a segment are in none.
 */
export async function loadSegmentStats(
	db: Db,
	pilotId: number,
	plan: PlanDefinition
): Promise<SegmentStats> {
	const rows = await sqlRows<SegmentSumsRow>(
		db,
		`SELECT segment, metric_key, phase, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy
		 FROM segment_stats WHERE pilot_id = ? AND cohort = 'ai'`,
		pilotId
	);
	// In code unit order, whatever the database's collation (PostgreSQL's may follow a locale).
	rows.sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
	const metrics = plan.metrics.filter((m) => m.kind !== 'quantile');
	const kinds = new Map(metrics.map((m) => [m.key, m.kind]));
	const result: SegmentStats = {};
	for (const r of rows) {
		const kind = kinds.get(r.metric_key);
		// A metric dropped from the plan leaves no rows after the rebuild; skip any all the same.
		if (kind === undefined || r.n === 0) continue;
		let segment = result[r.segment];
		if (segment === undefined) {
			segment = {};
			for (const m of metrics) segment[m.key] = { baseline: null, pilot: null };
			result[r.segment] = segment;
		}
		segment[r.metric_key][r.phase] = statsOfSums(kind === 'ratio' ? 'ratio' : 'mean', r);
	}
	return result;
}
