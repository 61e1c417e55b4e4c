import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readEvents } from '../../src/lib/cli/read-events';
import {
	buildImpactReport,
	mergeAll,
	metricObservation,
	momentsOf,
	phaseOf,
	ratioOf,
	valuesOf,
	type BaselineSummary,
	type ImpactReport,
	type Phase,
	type PhaseStats,
	type ReportContext
} from '../../src/lib/metrics';
import type { DayStats } from '../../src/lib/charts/series-points';
import { localDay } from '../../src/lib/charts/format';
import { planSchema, type PlanDefinition } from '../../src/lib/schemas/plan';

const CLI_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'cli');

/** The committed CLI plan, parsed by the same schema the app uses. */
export async function fixturePlan(): Promise<PlanDefinition> {
	const text = await readFile(join(CLI_FIXTURES, 'plan.json'), 'utf8');
	return planSchema.parse(JSON.parse(text));
}

/**
 * A real impact report from the committed CLI fixtures (plan.json, events.csv), built the
 * way the CLI builds it, so component tests can never drift from the report's real shape.
 * `edit` changes the plan before the events are read (a different direction, an extra
 * metric nobody measured); `context` overrides the report context; `baselineSummaries` are
 * baselines entered by hand, used for metrics without baseline events.
 */
export async function fixtureReport(
	edit: (plan: PlanDefinition) => PlanDefinition = (plan) => plan,
	context: Partial<ReportContext> = {},
	baselineSummaries?: Record<string, BaselineSummary>
): Promise<ImpactReport> {
	const plan = planSchema.parse(edit(await fixturePlan()));
	const read = await readEvents(join(CLI_FIXTURES, 'events.csv'), plan);
	if (read.errors.length > 0) throw new Error(JSON.stringify(read.errors));
	const stats = read.accumulator.stats();
	return buildImpactReport(plan, baselineSummaries ? { ...stats, baselineSummaries } : stats, {
		generatedAt: '2026-10-15T12:00:00.000Z',
		stage: 'running',
		pilotDaysElapsed: 14.5,
		evaluation: { criteria: { correct: { passed: 118, total: 120 } } },
		governanceMissing: [],
		...context
	});
}

/**
 * Per-day rollups of one metric (AI cohort) from the committed events, the shape the app's
 * per-day statistics take: local day in the plan's time zone, phase, sufficient statistics.
 */
export async function fixtureDayStats(metricKey: string): Promise<DayStats[]> {
	const plan = await fixturePlan();
	const metric = plan.metrics.find((m) => m.key === metricKey)!;
	const rows = parse(await readFile(join(CLI_FIXTURES, 'events.csv'), 'utf8'), {
		columns: true
	}) as Record<string, string>[];
	const days = new Map<string, { day: string; phase: Phase; parts: PhaseStats[] }>();
	for (const row of rows) {
		if (row.cohort === 'control') continue;
		const phase = phaseOf(plan, row.occurred_at);
		if (phase === null) continue;
		const measures: Record<string, number> = {};
		for (const [name, cell] of Object.entries(row)) {
			if (!['id', 'occurred_at', 'cohort'].includes(name) && cell !== '')
				measures[name] = Number(cell);
		}
		const observation = metricObservation(metric, measures);
		if (observation === null) continue;
		const one: PhaseStats =
			metric.kind === 'ratio'
				? ratioOf([[observation.x, observation.y ?? 0]])
				: metric.kind === 'quantile'
					? valuesOf([observation.x])
					: momentsOf([observation.x]);
		const day = localDay(row.occurred_at, plan.timezone ?? 'UTC');
		const key = `${phase}:${day}`;
		if (!days.has(key)) days.set(key, { day, phase, parts: [] });
		days.get(key)!.parts.push(one);
	}
	return [...days.values()].map(({ day, phase, parts }) => ({
		day,
		phase,
		stats: mergeAll(parts)
	}));
}
