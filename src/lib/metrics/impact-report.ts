// Longer than most files, on purpose: it assembles the whole report from the core's parts, section
// by section as the report's schema lists them.

import type { MetricDefinition, PlanDefinition } from '../schemas/plan';
import type { EvaluationRun } from './evaluation-gates';
import type { Amendment, ImpactReport, MetricReport } from './report-types';
import type { RecommendationRule } from './recommendation';
import type { BaselineSummary, PhaseStats } from './sufficient-stats';
import { compareEstimates, type Comparison } from './compare';
import {
	decisionIntervals,
	judgedComparison,
	plannedPilotCases,
	type DecisionInterval,
	type PlannedCases
} from './decision-interval';
import { baselineDrift, type DailyPoint } from './baseline-drift';
import { differenceInDifferences } from './did';
import { segmentBreakdown, type SegmentStats } from './segments';
import { computeEconomics } from './economics';
import { evaluateGates } from './evaluation-gates';
import { estimatePhase, type PhaseEstimate } from './phase-estimate';
import { powerAnalysis } from './power';
import { DEFAULT_RULES, judgedChange, recommend } from './recommendation';
import { mergeReasons } from './reasons';
import { resolveSettings, type AnalysisSettings } from './settings';
import { momentsFromSummary, statsCount } from './sufficient-stats';
import { decideVerdict, guardrailStatus, meetsTarget, scaledSize } from './verdict';

export type { Cohort, Phase } from '../domain/terms';
import type { Cohort, Phase } from '../domain/terms';

/** Sufficient statistics of one metric in one phase, per cohort; `null` = no cases. */
export type CohortStats = Readonly<Record<Cohort, PhaseStats | null>>;

export type CaseCounts = Readonly<Record<Phase, Readonly<Record<Cohort, number>>>>;

/** What the report is computed from: the app loads it from its rollups, the CLI from a file. */
export interface PilotStats {
	readonly metrics: Readonly<Record<string, Readonly<Record<Phase, CohortStats>>>>;
	/** Events per phase and cohort, whatever measures they carry (cases handled). */
	readonly cases: CaseCounts;
	/** Baselines entered by hand, per metric key; used when the metric has no baseline events. */
	readonly baselineSummaries?: Readonly<Record<string, BaselineSummary>>;
	/** Per segment, per metric key: the AI cohort's statistics (events without a segment in none). */
	readonly segments?: SegmentStats;
	/** Per metric key: statistics per local day, phase and cohort (the trend, the weekday mix). */
	readonly daily?: Readonly<Record<string, readonly DailyPoint[]>>;
}

export interface ReportContext {
	/** ISO date-time the report is generated at (the core has no clock). */
	readonly generatedAt: string;
	readonly stage: string;
	/** Days of the pilot window elapsed, for monthly costs and "days still needed". */
	readonly pilotDaysElapsed: number | null;
	/** The latest evaluation run; gates of the plan it does not test count as untested. */
	readonly evaluation?: EvaluationRun | null;
	/** Governance items not answered; omit or pass `null` when governance was not assessed. */
	readonly governanceMissing?: readonly string[] | null;
	readonly amendments?: readonly Amendment[];
	readonly settings?: Partial<AnalysisSettings>;
	/** A company's own rule list; docs/design.md's rules by default. */
	readonly rules?: readonly RecommendationRule[];
}

interface PreparedMetric {
	readonly metric: MetricDefinition;
	readonly b: PhaseEstimate;
	readonly p: PhaseEstimate;
	readonly useSummary: boolean;
	readonly summary: BaselineSummary | undefined;
	readonly comparison: Comparison;
	readonly belowMinimum: boolean;
}

/** One metric's two phases and their fixed-horizon comparison. */
function prepareMetric(
	metric: MetricDefinition,
	stats: Readonly<Record<Phase, CohortStats>> | undefined,
	summary: BaselineSummary | undefined,
	settings: AnalysisSettings
): PreparedMetric {
	const baselineEvents = stats?.baseline.ai ?? null;
	const useSummary =
		(baselineEvents === null || statsCount(baselineEvents) === 0) &&
		summary !== undefined &&
		(metric.kind === 'mean' || metric.kind === 'proportion');
	const baselineStats = useSummary ? momentsFromSummary(summary) : baselineEvents;
	const b = estimatePhase(baselineStats, metric.kind, settings, metric.quantile);
	const p = estimatePhase(stats?.pilot.ai ?? null, metric.kind, settings, metric.quantile);
	const comparison = compareEstimates(b, p, settings);
	const belowMinimum = b.n < settings.minSamples || p.n < settings.minSamples;
	return { metric, b, p, useSummary, summary, comparison, belowMinimum };
}

function metricReport(
	prepared: PreparedMetric,
	decision: DecisionInterval,
	stats: Readonly<Record<Phase, CohortStats>> | undefined,
	plannedCases: number,
	pilotCasesPerDay: number | null,
	settings: AnalysisSettings
): MetricReport {
	const { metric, b, p, useSummary, summary, comparison } = prepared;
	const estimate = (s: PhaseStats | null | undefined): PhaseEstimate =>
		estimatePhase(s ?? null, metric.kind, settings, metric.quantile);
	// Judgements read the decision interval; the fixed-horizon one stays in the report.
	const judged = judgedComparison(comparison, decision);
	const verdict = decideVerdict(judged, metric.direction, settings.minSamples);
	const waitsForPlannedCases =
		metric.kind === 'quantile' && !prepared.belowMinimum && p.n < plannedCases;
	const verdictResult: typeof verdict = waitsForPlannedCases
		? { verdict: 'insufficient_data', reasons: ['quantile_awaits_planned_cases'] }
		: verdict;
	const target = meetsTarget(
		judged,
		verdictResult.verdict,
		metric.direction,
		metric.target,
		settings.meaningfulShareOfTarget
	);
	const guardrail =
		metric.role === 'guardrail' && metric.tolerance !== undefined
			? guardrailStatus(judged, verdictResult.verdict, metric.direction, metric.tolerance)
			: null;

	const controlB = stats?.baseline.control ?? null;
	const controlP = stats?.pilot.control ?? null;
	let did: MetricReport['differenceInDifferences'] = null;
	if (
		controlB !== null &&
		controlP !== null &&
		statsCount(controlB) > 0 &&
		statsCount(controlP) > 0
	) {
		const cb = estimate(controlB);
		const cp = estimate(controlP);
		const result = differenceInDifferences(b, p, cb, cp, settings);
		if (result !== null) {
			did = { ...result, control: { baselineN: cb.n, pilotN: cp.n } };
		}
	}

	let power: MetricReport['power'] = null;
	if (
		verdictResult.verdict === 'insufficient_data' ||
		verdictResult.verdict === 'no_detectable_change' ||
		guardrail === 'unclear'
	) {
		const goalScaled = metric.role === 'guardrail' ? metric.tolerance : metric.target;
		let goal: number | null = null;
		if (goalScaled !== undefined) {
			const size = Math.abs(scaledSize(goalScaled));
			if ('absolute' in goalScaled) goal = size;
			else if (b.value !== null) goal = size * Math.abs(b.value);
		}
		power = powerAnalysis(
			{ baseline: b, pilot: p, goal, minSamples: settings.minSamples, pilotCasesPerDay },
			settings
		);
	}

	const source = b.n === 0 ? null : useSummary ? 'summary' : 'events';
	return {
		key: metric.key,
		kind: metric.kind,
		direction: metric.direction,
		role: metric.role,
		baseline: {
			n: b.n,
			value: b.value,
			source,
			...(useSummary && summary?.source !== undefined ? { sourceNote: summary.source } : {})
		},
		pilot: { n: p.n, value: p.value },
		absoluteChange: comparison.absoluteChange,
		relativeChange: comparison.relativeChange,
		verdict: verdictResult.verdict,
		meetsTarget: target.meetsTarget,
		label: metric.label ?? metric.key,
		unit: metric.unit ?? null,
		target: metric.target ?? null,
		tolerance: metric.tolerance ?? null,
		guardrail,
		decisionInterval: decision,
		differenceInDifferences: did,
		power,
		reasons: mergeReasons(comparison.reasons, verdictResult.reasons, target.reasons)
	};
}

/**
 * Decision intervals of every metric: the primary metric and the guardrails are one Holm
 * family (each of them can change the recommendation), the secondary metrics one
 * Benjamini–Hochberg family (an exploratory list).
 */
function decisions(
	prepared: readonly PreparedMetric[],
	planned: PlannedCases[],
	alpha: number
): DecisionInterval[] {
	const result: DecisionInterval[] = new Array<DecisionInterval>(prepared.length);
	const family = (roles: readonly string[], method: 'holm' | 'benjamini_hochberg'): void => {
		const members = prepared.flatMap((m, i) => (roles.includes(m.metric.role) ? [i] : []));
		const intervals = decisionIntervals(
			members.map((i) => ({
				kind: prepared[i].metric.kind,
				comparison: prepared[i].comparison,
				judged: !prepared[i].belowMinimum,
				plannedPilotCases: planned[i].cases
			})),
			method,
			alpha
		);
		members.forEach((i, k) => (result[i] = intervals[k]));
	};
	family(['primary', 'guardrail'], 'holm');
	family(['secondary'], 'benjamini_hochberg');
	return result;
}

/**
 * The impact report of docs/api.md from a plan and per-phase statistics. Pure: the same inputs give
 * the same report, in the app, the API and the CLI alike.
 */
export function buildImpactReport(
	plan: PlanDefinition,
	stats: PilotStats,
	context: ReportContext
): ImpactReport {
	const settings = resolveSettings({ minSamples: plan.minSamples, ...context.settings });
	const days = context.pilotDaysElapsed;
	const pilotCases = stats.cases.pilot.ai;
	const pilotCasesPerDay = days !== null && days > 0 ? pilotCases / days : null;

	const prepared = plan.metrics.map((metric) =>
		prepareMetric(
			metric,
			stats.metrics[metric.key],
			stats.baselineSummaries?.[metric.key],
			settings
		)
	);
	const planned = prepared.map((m) => plannedPilotCases(plan, m.b.n, settings.minSamples));
	const intervals = decisions(prepared, planned, settings.alpha);
	const metrics = prepared.map((m, i) =>
		metricReport(
			m,
			intervals[i],
			stats.metrics[m.metric.key],
			planned[i].cases,
			pilotCasesPerDay,
			settings
		)
	);
	const primaryIndex = prepared.findIndex((m) => m.metric.role === 'primary');
	const plannedCases = planned[primaryIndex === -1 ? 0 : primaryIndex] ?? null;
	const economics = computeEconomics({
		economics: plan.economics,
		metrics: plan.metrics.map((definition, i) => ({ definition, comparison: metrics[i] })),
		pilotCases,
		pilotDaysElapsed: days
	});
	const gates = evaluateGates(
		plan.evaluationGates,
		context.evaluation,
		settings.minSamples,
		settings.alpha
	);
	const governanceMissing = context.governanceMissing ?? null;
	const segments = plan.metrics.flatMap((metric, i) => {
		const breakdown =
			stats.segments === undefined
				? null
				: segmentBreakdown(metric, stats.segments, planned[i].cases, settings);
		return breakdown === null ? [] : [breakdown];
	});
	const primary = metrics.find((m) => m.role === 'primary') ?? null;
	const primaryDefinition = plan.metrics.find((m) => m.role === 'primary');
	const drift =
		primary !== null && primaryDefinition !== undefined && stats.daily?.[primary.key]
			? baselineDrift(
					primaryDefinition,
					stats.daily[primary.key],
					{
						baselineValue: primary.baseline.value,
						absolute: judgedChange(primary, 'absolute'),
						relative: judgedChange(primary, 'relative')
					},
					settings
				)
			: null;
	const recommendation = recommend(
		{
			primary,
			guardrails: metrics.filter((m) => m.role === 'guardrail'),
			gates,
			governanceMissing,
			economics,
			segments,
			baselineDrift: drift
		},
		context.rules ?? DEFAULT_RULES
	);
	return {
		pilot: { slug: plan.slug, name: plan.name, stage: context.stage },
		generatedAt: context.generatedAt,
		metrics,
		economics,
		recommendation,
		cases: stats.cases,
		pilotDaysElapsed: days,
		evaluationGates: gates,
		governanceMissing,
		amendments: context.amendments ?? [],
		settings: { alpha: settings.alpha, power: settings.power, minSamples: settings.minSamples },
		plannedPilotCases: plannedCases === null ? null : { ...plannedCases },
		segments,
		baselineDrift: drift
	};
}
