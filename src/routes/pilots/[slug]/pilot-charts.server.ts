import type { BenefitInput } from '$lib/charts/benefit';
import { localDay } from '$lib/charts/format';
import { levelOf, seriesPoints, type DayStats } from '$lib/charts/series-points';
import { chooseGranularity, type TimeSeriesInput } from '$lib/charts/time-series';
import {
	mergeAll,
	momentsFromSummary,
	resolveSettings,
	type ImpactReport,
	type PhaseStats
} from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import { getDb, type Db } from '$lib/server/db';
import type { PlanState } from '$lib/server/pilots/plans';
import { loadDailyStats } from '$lib/server/reports/reports';

// What the pilot page draws besides the report: a time series per metric from the per-day
// rollups, and the money at scale. Built on the server so the browser receives finished
// points and never the statistics code.

const DAY_MS = 86_400_000;

export interface PilotCharts {
	series: TimeSeriesInput[];
	benefit: BenefitInput;
}

function spanDays(plan: PlanDefinition): number {
	const first = Math.min(Date.parse(plan.baselineWindow.start), Date.parse(plan.pilotWindow.start));
	const last = Math.max(Date.parse(plan.baselineWindow.end), Date.parse(plan.pilotWindow.end));
	return Math.ceil((last - first) / DAY_MS);
}

function casesOf(stats: PhaseStats | null): number {
	if (stats === null) return 0;
	return stats.type === 'values' ? stats.values.length : stats.n;
}

/** The baseline level the series is read against: the report's own source, with its interval. */
function baselineLevel(
	rows: readonly DayStats[],
	metric: ImpactReport['metrics'][number],
	state: PlanState,
	quantile: number | undefined
): TimeSeriesInput['baseline'] {
	const summary = state.summaries[metric.key];
	if (metric.baseline.source === 'summary' && summary) {
		const { n, value, ci95 } = levelOf(momentsFromSummary(summary), metric.kind);
		return { value: n > 0 ? value : null, ci95, source: 'summary' };
	}
	const days = rows.flatMap((r) => (r.phase === 'baseline' && r.stats ? [r.stats] : []));
	if (days.length === 0) return { value: null, ci95: null, source: null };
	const level = levelOf(mergeAll(days), metric.kind, resolveSettings(), quantile);
	return { value: level.value, ci95: level.ci95, source: 'events' };
}

export async function pilotCharts(
	state: PlanState,
	report: ImpactReport,
	db: Db = getDb()
): Promise<PilotCharts | null> {
	const plan = state.definition;
	if (!plan) return null;
	const timeZone = plan.timezone ?? state.pilot.timezone;
	const daily = await loadDailyStats(db, state.pilot.id, plan);
	const span = spanDays(plan);
	const series = report.metrics.map((metric): TimeSeriesInput => {
		const definition = plan.metrics.find((m) => m.key === metric.key);
		const quantile = definition?.kind === 'quantile' ? definition.quantile : undefined;
		const rows: DayStats[] = daily[metric.key] ?? [];
		const granularity = chooseGranularity(
			rows.map((r) => casesOf(r.stats)),
			span
		);
		return {
			metric: {
				key: metric.key,
				label: metric.label,
				unit: metric.unit,
				kind: metric.kind,
				direction: metric.direction
			},
			timeZone,
			windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
			granularity,
			points: seriesPoints(rows, metric.kind, granularity, resolveSettings(), quantile),
			baseline: baselineLevel(rows, metric, state, quantile)
		};
	});
	return {
		series,
		benefit: {
			economics: report.economics,
			plan: plan.economics,
			// Scaling would begin when the pilot window closes: months are named from there.
			startDay: localDay(plan.pilotWindow.end, timeZone)
		}
	};
}
