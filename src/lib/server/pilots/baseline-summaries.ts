import type { BaselineSummaryInput } from '$lib/schemas/definition';
import type { MetricDefinition } from '$lib/schemas/plan';
import { record } from '../audit/audit';
import type { ServiceContext } from '../context';
import { ok, refusal, type Result } from '../result';
import { run } from '../db/statements';
import { baselineSummaries } from '../db/schema';
import { markDirty } from '../alerts/dirty';

import { readState, type PlanState } from './plan-state';
import { changePlan, needsReason, storeAmendment } from './plan-writes';

// Baselines entered as summaries (n, mean and sd, or n and successes) for a mean or proportion
// metric, when the events of the baseline period are not at hand.

/** Enters (or replaces) the baseline summary of one mean or proportion metric. */
export async function putBaselineSummary(
	slug: string,
	metricKey: string,
	input: BaselineSummaryInput,
	context: Partial<ServiceContext> = {}
): Promise<Result<PlanState>> {
	return changePlan<PlanState>(slug, context, async (current, { db, actor, now }) => {
		if (!current.stored) {
			return refusal(409, 'Define the measurement plan before entering a baseline.');
		}
		const metric: MetricDefinition | undefined = current.stored.metrics.find(
			(m) => m.key === metricKey
		);
		if (!metric) {
			return refusal(404, `The plan has no metric “${metricKey}”.`, [
				{
					path: 'metricKey',
					message: `known metrics: ${current.stored.metrics.map((m) => m.key).join(', ')}`
				}
			]);
		}
		const previousSummary = Object.hasOwn(current.summaries, metricKey)
			? current.summaries[metricKey]
			: null;
		const isMean = 'mean' in input;
		if (metric.kind !== (isMean ? 'mean' : 'proportion')) {
			return refusal(422, `“${metricKey}” is a ${metric.kind} metric.`, [
				{
					path: isMean ? 'mean' : 'successes',
					message:
						metric.kind === 'mean'
							? 'a mean metric takes { n, mean, sd, source }'
							: metric.kind === 'proportion'
								? 'a proportion metric takes { n, successes, source }'
								: `a ${metric.kind} metric has no summary form: send its baseline events`
				}
			]);
		}
		const reason = input.amendment?.reason ?? null;
		if (current.lockedAt !== null && reason === null) {
			return needsReason([`the baseline of ${metricKey}`]);
		}
		const at = now.toISOString();
		const values = {
			pilotId: current.pilot.id,
			metricKey,
			n: input.n,
			mean: isMean ? input.mean : null,
			sd: isMean ? input.sd : null,
			successes: isMean ? null : input.successes,
			source: input.source,
			enteredAt: at
		};
		await record(
			actor,
			{
				action: 'baseline.set',
				targetType: 'baseline_summary',
				targetId: `${current.pilot.slug}:${metricKey}`,
				targetLabel: `${metricKey} on ${current.pilot.name}`,
				pilotId: current.pilot.id,
				before: previousSummary,
				after: values,
				detail: reason ? `amendment: ${reason}` : null
			},
			now,
			db
		);
		await run(
			db
				.insert(baselineSummaries)
				.values(values)
				.onConflictDoUpdate({
					target: [baselineSummaries.pilotId, baselineSummaries.metricKey],
					set: values
				})
		);
		if (current.lockedAt !== null && reason !== null) {
			const changed = [`baseline.${metricKey}`];
			await storeAmendment(db, current, reason, changed, { summary: previousSummary }, actor, at);
		}
		const next = (await readState(slug, db))!;
		await markDirty(db, next.pilot.id);
		return ok(next);
	});
}
