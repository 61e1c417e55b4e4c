import type { MetricDefinition } from '../schemas/plan';
import type { Comparison } from './compare';
import type { PhaseStats } from './sufficient-stats';
import type { AnalysisSettings } from './settings';
import type { GuardrailStatus, Verdict } from './verdict';
import type { Change } from './welch';
import { compareEstimates } from './compare';
import { decisionIntervals, judgedComparison, type DecisionInterval } from './decision-interval';
import { differenceInDifferences } from './did';
import { adjust, adjustedAlpha } from './multiple-testing';
import { estimatePhase } from './phase-estimate';
import { anytimeInterval } from './sequential';
import { mergeAll, statsCount } from './sufficient-stats';
import { decideVerdict, guardrailStatus } from './verdict';

/**
 * The primary metric and the guardrails per segment (team, channel, case type): where the gain
 * comes from, and where the harm is even when the total looks fine.
 * - A segment is shown on its own when both phases have at least `minSamples` cases; at most
 *   `MAX_SEGMENTS` of them, the largest first. The rest are pooled as "other".
 * - Each segment's change is judged on its anytime-valid interval, Holm-adjusted across the
 *   metric's segments (several segments are several chances of a false alarm).
 * - A segment "differs" when its change minus the change of all other segments together
 *   (a difference in differences) excludes 0 on the same kind of interval, Holm-adjusted across
 *   the segments.
 * Quantile metrics are not broken down (their values are not kept per segment).
 */

export const MAX_SEGMENTS = 8;
export const OTHER_SEGMENT = 'other';

/** Per segment, per metric key: the AI cohort's statistics in each phase. */
export type SegmentStats = Readonly<
	Record<
		string,
		Readonly<
			Record<string, { readonly baseline: PhaseStats | null; readonly pilot: PhaseStats | null }>
		>
	>
>;

export interface SegmentDifference {
	/** This segment's change minus the change of all other segments (absolute units). */
	readonly estimate: number;
	readonly ci95: readonly [number, number] | null;
	readonly pValueAdjusted: number | null;
	readonly flagged: boolean;
}

export interface SegmentResult {
	/** The segment's name, or `other` for the pooled small segments. */
	readonly segment: string;
	/** For `other`: the segments pooled into it. */
	readonly pooled: readonly string[];
	readonly baseline: { readonly n: number; readonly value: number | null };
	readonly pilot: { readonly n: number; readonly value: number | null };
	/** Fixed-horizon changes, as for the whole metric. */
	readonly absoluteChange: Change | null;
	readonly relativeChange: Change | null;
	readonly decisionInterval: DecisionInterval;
	readonly verdict: Verdict;
	/** Guardrail metrics only. */
	readonly guardrail: GuardrailStatus | null;
	readonly differs: SegmentDifference | null;
	/** Primary metric: this segment's share of the total change (pilot cases × change). */
	readonly shareOfChange: number | null;
}

export interface SegmentBreakdown {
	readonly metricKey: string;
	readonly label: string;
	readonly role: 'primary' | 'guardrail';
	readonly minCases: number;
	readonly segments: readonly SegmentResult[];
}

interface SegmentGroup {
	readonly segment: string;
	readonly pooled: string[];
	readonly baseline: PhaseStats | null;
	readonly pilot: PhaseStats | null;
}

const count = (s: PhaseStats | null): number => (s === null ? 0 : statsCount(s));

const merge = (parts: (PhaseStats | null)[]): PhaseStats | null =>
	mergeAll(parts.filter((p): p is PhaseStats => p !== null && statsCount(p) > 0));

/** The segments shown on their own, then `other` pooling the rest (when it has cases). */
function groupSegments(metricKey: string, stats: SegmentStats, minCases: number): SegmentGroup[] {
	const all = Object.entries(stats)
		.map(([segment, metrics]) => ({
			segment,
			baseline: metrics[metricKey]?.baseline ?? null,
			pilot: metrics[metricKey]?.pilot ?? null
		}))
		.filter((g) => count(g.baseline) + count(g.pilot) > 0)
		.sort(
			(a, b) =>
				count(b.baseline) + count(b.pilot) - (count(a.baseline) + count(a.pilot)) ||
				a.segment.localeCompare(b.segment)
		);
	const shown: SegmentGroup[] = [];
	const rest: typeof all = [];
	for (const g of all) {
		const big = count(g.baseline) >= minCases && count(g.pilot) >= minCases;
		if (big && shown.length < MAX_SEGMENTS && g.segment !== OTHER_SEGMENT) {
			shown.push({ ...g, pooled: [] });
		} else {
			rest.push(g);
		}
	}
	if (rest.length > 0) {
		shown.push({
			segment: OTHER_SEGMENT,
			pooled: rest.map((g) => g.segment),
			baseline: merge(rest.map((g) => g.baseline)),
			pilot: merge(rest.map((g) => g.pilot))
		});
	}
	return shown;
}

/** Segment-versus-rest differences, Holm-adjusted across the segments. */
function differences(
	metric: MetricDefinition,
	groups: readonly SegmentGroup[],
	comparisons: readonly Comparison[],
	tuning: number,
	settings: AnalysisSettings
): (SegmentDifference | null)[] {
	if (groups.length < 2) return groups.map(() => null);
	const estimate = (s: PhaseStats | null) =>
		estimatePhase(s, metric.kind, settings, metric.quantile);
	const raw = groups.map((g, i) => {
		if (comparisons[i].absoluteChange === null) return null;
		const others = groups.filter((_, k) => k !== i);
		const did = differenceInDifferences(
			estimate(g.baseline),
			estimate(g.pilot),
			estimate(merge(others.map((o) => o.baseline))),
			estimate(merge(others.map((o) => o.pilot))),
			settings
		);
		const se = did?.change.standardError ?? null;
		if (did === null || se === null || !(se > 0)) return null;
		const n = groups.reduce((acc, o) => acc + count(o.baseline) + count(o.pilot), 0);
		const seq = anytimeInterval(did.change.estimate, se, n, tuning, settings.alpha);
		return seq === null ? null : { estimate: did.change.estimate, se, n, p: seq.pValue };
	});
	const adjusted = adjust(
		raw.map((r) => r?.p ?? null),
		'holm'
	);
	const family = raw.filter((r) => r !== null).length;
	return raw.map((r, i) => {
		const pAdj = adjusted[i];
		if (r === null || pAdj === null) return null;
		const alpha = adjustedAlpha(settings.alpha, r.p, pAdj, family);
		const seq = anytimeInterval(r.estimate, r.se, r.n, tuning, alpha, settings.alpha);
		return {
			estimate: r.estimate,
			ci95: seq?.ci ?? null,
			pValueAdjusted: pAdj,
			flagged: pAdj < settings.alpha
		};
	});
}

/** One metric per segment; `null` when it has no segments to show. */
export function segmentBreakdown(
	metric: MetricDefinition,
	stats: SegmentStats,
	plannedPilotCases: number,
	settings: AnalysisSettings
): SegmentBreakdown | null {
	if (metric.kind === 'quantile' || (metric.role !== 'primary' && metric.role !== 'guardrail')) {
		return null;
	}
	const groups = groupSegments(metric.key, stats, settings.minSamples);
	if (groups.length === 0 || (groups.length === 1 && groups[0].segment === OTHER_SEGMENT)) {
		return null;
	}
	const estimate = (s: PhaseStats | null) =>
		estimatePhase(s, metric.kind, settings, metric.quantile);
	const totalBaseline = groups.reduce((acc, g) => acc + count(g.baseline), 0);
	const comparisons = groups.map((g) =>
		compareEstimates(estimate(g.baseline), estimate(g.pilot), settings)
	);
	const below = groups.map(
		(g) => count(g.baseline) < settings.minSamples || count(g.pilot) < settings.minSamples
	);
	// A segment's share of the planned cases is its share of the baseline (fixed, unlike the
	// pilot's running counts), so its sequence is tightest at the planned end too.
	const intervals = decisionIntervals(
		groups.map((g, i) => ({
			kind: metric.kind,
			comparison: comparisons[i],
			judged: !below[i],
			plannedPilotCases:
				totalBaseline > 0
					? Math.max(1, Math.round((plannedPilotCases * count(g.baseline)) / totalBaseline))
					: plannedPilotCases
		})),
		'holm',
		settings.alpha
	);
	const diffs = differences(
		metric,
		groups,
		comparisons,
		totalBaseline + plannedPilotCases,
		settings
	);
	const contributions = groups.map((g, i) => {
		const change = comparisons[i].absoluteChange?.estimate;
		return change === undefined ? null : count(g.pilot) * change;
	});
	const total = contributions.reduce<number>((acc, c) => acc + (c ?? 0), 0);

	const segments = groups.map((g, i): SegmentResult => {
		const judged = judgedComparison(comparisons[i], intervals[i]);
		const verdict = decideVerdict(judged, metric.direction, settings.minSamples).verdict;
		const guardrail =
			metric.role === 'guardrail' && metric.tolerance !== undefined
				? guardrailStatus(judged, verdict, metric.direction, metric.tolerance)
				: null;
		const contribution = contributions[i];
		return {
			segment: g.segment,
			pooled: g.pooled,
			baseline: comparisons[i].baseline,
			pilot: comparisons[i].pilot,
			absoluteChange: comparisons[i].absoluteChange,
			relativeChange: comparisons[i].relativeChange,
			decisionInterval: intervals[i],
			verdict,
			guardrail,
			differs: diffs[i],
			shareOfChange:
				metric.role === 'primary' && contribution !== null && total !== 0
					? contribution / total
					: null
		};
	});
	return {
		metricKey: metric.key,
		label: metric.label ?? metric.key,
		role: metric.role,
		minCases: settings.minSamples,
		segments
	};
}
