import {
	estimatePhase,
	momentsFromSummary,
	powerAnalysis,
	resolveSettings,
	type PhaseEstimate
} from '$lib/metrics';
import type { MetricDefinition } from '$lib/schemas/plan';
import { getDb, type Db } from '../db';
import type { PlanState } from './plans';
import { baselineCoverage, loadStats } from '../reports/reports';

// The baseline page: per metric, where its baseline comes from, and what it lets the pilot
// detect (a power preview at the volume the baseline window saw).

export interface BaselineStatus {
	key: string;
	label: string;
	kind: MetricDefinition['kind'];
	role: MetricDefinition['role'];
	unit: string | null;
	/** `events` measured in the baseline window, `summary` entered by hand, or `missing`. */
	source: 'events' | 'summary' | 'missing';
	n: number;
	value: number | null;
	firstDay: string | null;
	lastDay: string | null;
	summarySource: string | null;
	/** Summaries exist for mean and proportion metrics only. */
	summaryForm: 'mean' | 'proportion' | null;
	preview: {
		/** The change to detect, in the metric's units, and as the plan states it. */
		goal: number | null;
		goalText: string | null;
		casesNeeded: number | null;
		workingDays: number | null;
		minimumDetectableEffect: number | null;
		unreachable: boolean;
	} | null;
}

const signed = (x: number): string => (x < 0 ? `−${-x}` : `+${x}`);

/** The change the plan asks to detect, in units and in words ("−20%", "a worsening of 2 points"). */
function goalOf(
	metric: MetricDefinition,
	baselineValue: number | null
): [number | null, string | null] {
	const guardrail = metric.role === 'guardrail';
	const scaled = guardrail ? metric.tolerance : metric.target;
	if (!scaled) return [null, null];
	const round = (x: number): number => Math.round(x * 1000) / 1000;
	let size: number | null;
	let words: string;
	if ('absolute' in scaled) {
		size = Math.abs(scaled.absolute);
		words =
			metric.kind === 'proportion'
				? `${round(size * 100)} percentage points`
				: `${round(size)}${metric.unit ? ` ${metric.unit}` : ''}`;
		if (!guardrail) words = scaled.absolute < 0 ? `−${words}` : `+${words}`;
	} else {
		size = baselineValue === null ? null : Math.abs(scaled.relative * baselineValue);
		words = guardrail
			? `${round(Math.abs(scaled.relative) * 100)}%`
			: `${signed(round(scaled.relative * 100))}%`;
	}
	return [size, guardrail ? `a worsening of ${words}` : words];
}

export async function baselineStatus(
	state: PlanState,
	db: Db = getDb()
): Promise<BaselineStatus[]> {
	const plan = state.definition;
	if (!state.stored) return [];
	const settings = resolveSettings({ minSamples: state.stored.minSamples });
	const coverage = await baselineCoverage(db, state.pilot.id);
	const stats = plan ? await loadStats(db, state.pilot.id, plan) : null;
	const totalCases = stats?.cases.baseline.ai ?? 0;
	const daysWithCases = Math.max(0, ...[...coverage.values()].map((c) => c.days));
	const casesPerDay = daysWithCases > 0 ? totalCases / daysWithCases : null;
	const noPilot: PhaseEstimate = {
		n: 0,
		value: null,
		valueVariance: null,
		reasons: ['empty_phase']
	};

	return state.stored.metrics.map((metric) => {
		const measured = coverage.get(metric.key);
		const summary = state.summaries[metric.key];
		const fromEvents = stats?.metrics[metric.key]?.baseline.ai ?? null;
		const useSummary =
			(measured === undefined || measured.n === 0) &&
			summary !== undefined &&
			(metric.kind === 'mean' || metric.kind === 'proportion');
		const source = measured && measured.n > 0 ? 'events' : useSummary ? 'summary' : 'missing';
		const estimate =
			source === 'events'
				? estimatePhase(fromEvents, metric.kind, settings, metric.quantile)
				: source === 'summary'
					? estimatePhase(momentsFromSummary(summary), metric.kind, settings)
					: null;
		let preview: BaselineStatus['preview'] = null;
		if (estimate && estimate.value !== null) {
			const [goal, goalText] = goalOf(metric, estimate.value);
			const power = powerAnalysis(
				{
					baseline: estimate,
					pilot: noPilot,
					goal,
					minSamples: settings.minSamples,
					pilotCasesPerDay: casesPerDay
				},
				settings
			);
			preview = {
				goal,
				goalText,
				casesNeeded: goal === null ? null : power.pilotCasesNeeded,
				workingDays: goal === null ? null : power.daysNeeded,
				minimumDetectableEffect: power.minimumDetectableEffect,
				unreachable: power.reasons.includes('target_unreachable_with_baseline')
			};
		}
		return {
			key: metric.key,
			label: metric.label ?? metric.key,
			kind: metric.kind,
			role: metric.role,
			unit: metric.unit ?? null,
			source,
			n: estimate?.n ?? 0,
			value: estimate?.value ?? null,
			firstDay: source === 'events' ? (measured?.firstDay ?? null) : null,
			lastDay: source === 'events' ? (measured?.lastDay ?? null) : null,
			summarySource: source === 'summary' ? summary.source : null,
			summaryForm: metric.kind === 'mean' || metric.kind === 'proportion' ? metric.kind : null,
			preview
		};
	});
}
