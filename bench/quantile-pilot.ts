// The quantile benchmarks' pilot: its plan and its batches of events (bench/quantiles.ts over
// HTTP, bench/report-after-batch.ts in-process).
import type { PlanInput } from '../src/lib/schemas/plan.ts';
import { benchPlan } from './support.ts';

/** The benchmark pilot's plan with a p50 guardrail beside its p90: both are read by the portfolio. */
export function quantilePlan(slug: string, name: string): PlanInput {
	const plan = benchPlan({ slug, name });
	for (const metric of plan.metrics) {
		if (metric.kind === 'quantile') {
			metric.role = 'guardrail';
			metric.tolerance = { absolute: 5 };
		}
	}
	plan.metrics.push({
		key: 'first_response_p50',
		kind: 'quantile',
		quantile: 0.5,
		measure: 'first_response_minutes',
		direction: 'decrease',
		role: 'guardrail',
		tolerance: { absolute: 2 }
	});
	return plan;
}

/**
 * Where a batch's events fall: `both windows` at uniform instants over the baseline and pilot
 * windows (the loading of a pilot's history, or a backfill: every batch lands in every day of
 * both phases); `recent days` in the pilot window's last two days, as a running pilot's new
 * cases arrive.
 */
export type Spread = 'both windows' | 'recent days';

/**
 * `count` events numbered from `from`, at uniform instants over `spread`; first-response times
 * are exponential with 1/100-minute resolution, nearly all distinct, 25% faster in the pilot.
 */
export function batch(
	plan: PlanInput,
	from: number,
	count: number,
	uniform: () => number,
	spread: Spread = 'both windows'
): string {
	const pilotStart = Date.parse(plan.pilotWindow.start);
	const end = Date.parse(plan.pilotWindow.end);
	const start =
		spread === 'recent days' ? end - 2 * 86_400_000 : Date.parse(plan.baselineWindow.start);
	const span = end - start;
	const events = [];
	for (let n = from; n < from + count; n++) {
		const t = start + Math.floor(uniform() * span);
		const faster = t >= pilotStart ? 0.75 : 1;
		events.push({
			id: `case-${String(n).padStart(9, '0')}`,
			occurredAt: new Date(t).toISOString(),
			...(n % 10 === 9 ? { cohort: 'control' } : {}),
			measures: {
				handling_minutes: Math.round((8 + 10 * uniform()) * faster * 100) / 100,
				first_response_minutes: Math.round(-Math.log(1 - uniform()) * 30 * faster * 100) / 100,
				error: uniform() < 0.05 ? 1 : 0,
				cost_eur: Math.round(300 * uniform()) / 100,
				resolved: uniform() < 0.9 ? 1 : 0,
				csat: 1 + Math.floor(5 * uniform())
			}
		});
	}
	return JSON.stringify({ events });
}
