import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePlan } from '../../../../tests/support/report-fixture';
import { readEvents } from '$lib/cli/read-events';
import { buildImpactReport, type ImpactReport } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import { headlineMetrics } from './reports';

/** The report of the committed fixture events under `plan`, as the app builds it. */
async function reportOf(full: PlanDefinition, plan: PlanDefinition): Promise<ImpactReport> {
	const read = await readEvents(
		join(import.meta.dirname, '../../../../tests/fixtures/cli/events.csv'),
		full
	);
	return buildImpactReport(plan, read.accumulator.stats(), {
		generatedAt: '2026-10-15T12:00:00.000Z',
		stage: 'running',
		pilotDaysElapsed: 14.5,
		evaluation: null,
		governanceMissing: []
	});
}

describe('headline reports', () => {
	it('keep the primary metric, guardrails and valued metrics, and change no headline number', async () => {
		const plan = await fixturePlan();
		const kept = headlineMetrics(plan).map((m) => m.key);
		expect(kept).toEqual(['handling_time', 'error_rate']);
		const full = await reportOf(plan, plan);
		const headline = await reportOf(plan, { ...plan, metrics: headlineMetrics(plan) });
		expect(headline.recommendation).toEqual(full.recommendation);
		expect(headline.economics).toEqual(full.economics);
		expect(headline.metrics).toEqual(full.metrics.filter((m) => kept.includes(m.key)));
	});

	it('a secondary metric with a money value counts', async () => {
		const plan = await fixturePlan();
		const valued = {
			...plan,
			metrics: plan.metrics.map((m) =>
				m.key === 'cost_per_resolved' ? { ...m, valuePerUnit: 1 } : m
			)
		};
		expect(headlineMetrics(valued).map((m) => m.key)).toContain('cost_per_resolved');
	});
});
