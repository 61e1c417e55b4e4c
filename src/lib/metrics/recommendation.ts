// Longer than most files, on purpose: the recommendation's rules in the order they apply, each with
// the reason it gives; one reading shows the whole decision.

import type { BaselineDrift } from './baseline-drift';
import type { EconomicsResult } from './economics';
import { segmentName } from './segment-name';
import type { SegmentBreakdown } from './segments';
import type { GateResult } from './evaluation-gates';
import type { Decision, MetricReport } from './report-types';
import { criterionLabel } from '../domain/evaluation-criteria';
import { formatInterval, formatNumber, formatPercent, formatSigned } from './format';
import { describeReason } from './reasons';
import { scaledSize } from './verdict';

/** Everything the rules look at. */
export interface RecommendationFacts {
	readonly primary: MetricReport | null;
	readonly guardrails: readonly MetricReport[];
	readonly gates: readonly GateResult[];
	/** Governance items not answered; `null` when governance was not assessed at all. */
	readonly governanceMissing: readonly string[] | null;
	readonly economics: EconomicsResult;
	/** The primary metric and the guardrails per segment. */
	readonly segments?: readonly SegmentBreakdown[];
	/** The primary metric's baseline trend and weekday mix. */
	readonly baselineDrift?: BaselineDrift | null;
}

/**
 * One rule: when `reasons` returns a list, the rule matches and its decision is the
 * recommendation, with those reasons. Rules are tried in order; the first match wins.
 */
export interface RecommendationRule {
	readonly id: string;
	readonly decision: Decision;
	readonly description: string;
	readonly reasons: (facts: RecommendationFacts) => string[] | null;
}

export interface Recommendation {
	readonly decision: Decision;
	readonly reasons: string[];
	readonly rule: string;
}

const name = (m: MetricReport): string => m.label;

/** What the intervals of the reasons are called: the decision interval, named by its kind. */
/** What the reasons need of a metric or one of its segments. */
type JudgedNumbers = Pick<
	MetricReport,
	'absoluteChange' | 'relativeChange' | 'decisionInterval' | 'unit'
>;

function intervalLabel(m: JudgedNumbers): string {
	const d = m.decisionInterval;
	const kind = d.method === 'confidence_sequence' ? 'anytime 95% interval' : '95% CI';
	if (d.adjustment === 'none') return kind;
	const how = d.adjustment === 'holm' ? 'Holm' : 'Benjamini–Hochberg';
	return `${kind}, ${how}-adjusted for ${d.familySize} ${d.familySize === 1 ? 'test' : 'tests'}`;
}

/** The change on a scale with the interval it is judged on (see decision-interval.ts). */
export function judgedChange(
	m: JudgedNumbers,
	scale: 'absolute' | 'relative'
): { estimate: number; ci95: readonly [number, number] | null } | null {
	const change = scale === 'relative' ? m.relativeChange : m.absoluteChange;
	if (change === null) return null;
	const judged =
		scale === 'relative' ? m.decisionInterval.relativeChange : m.decisionInterval.absoluteChange;
	return { estimate: change.estimate, ci95: judged?.ci95 ?? null };
}

function describeChange(m: JudgedNumbers, scale: 'absolute' | 'relative' = 'relative'): string {
	const label = intervalLabel(m);
	const rel = judgedChange(m, 'relative');
	if (scale === 'relative' && rel !== null) {
		return `${formatPercent(rel.estimate)} (${formatInterval(rel.ci95, (x) => formatPercent(x), label)})`;
	}
	const abs = judgedChange(m, 'absolute');
	if (abs === null) return 'not computable';
	const unit = m.unit === null ? '' : ` ${m.unit}`;
	return `${formatSigned(abs.estimate)}${unit} (${formatInterval(abs.ci95, (x) => formatSigned(x), label)})`;
}

function describeSize(m: MetricReport, size: { relative: number } | { absolute: number }): string {
	return 'relative' in size
		? formatPercent(size.relative)
		: `${formatSigned(size.absolute)}${m.unit === null ? '' : ` ${m.unit}`}`;
}

function stillNeeded(m: MetricReport): string {
	const power = m.power;
	if (power === null) return '';
	const parts: string[] = [];
	if (power.baselineCasesNeeded > 0) {
		parts.push(`${power.baselineCasesNeeded} more baseline cases`);
	}
	if (power.pilotCasesNeeded !== null && power.pilotCasesNeeded > 0) {
		const days =
			power.daysNeeded === null ? '' : ` (about ${power.daysNeeded} days at the current volume)`;
		parts.push(`about ${power.pilotCasesNeeded} more pilot cases${days}`);
	}
	if (power.reasons.includes('target_unreachable_with_baseline')) {
		parts.push('a larger baseline: with this one a change of that size cannot be detected');
	}
	return parts.length === 0 ? '' : `; needs ${parts.join(' and ')}`;
}

function ciOnTargetScale(
	m: MetricReport
): { estimate: number; ci95: readonly [number, number] | null } | null {
	if (m.target === null) return null;
	return judgedChange(m, 'relative' in m.target ? 'relative' : 'absolute');
}

/** docs/design.md "The recommendation", rules 1–9, as data. */
export const DEFAULT_RULES: readonly RecommendationRule[] = [
	{
		id: 'no-primary-or-baseline',
		decision: 'keep_measuring',
		description: 'No primary metric, or no baseline for it',
		reasons: ({ primary }) => {
			if (primary === null) return ['No primary metric is defined: choose the ROI indicator.'];
			if (primary.baseline.n === 0 || primary.baseline.value === null) {
				return [`No baseline for the primary metric ${name(primary)}: measure or enter one.`];
			}
			return null;
		}
	},
	{
		id: 'guardrail-breached',
		decision: 'correct',
		description: 'A guardrail is breached',
		reasons: ({ guardrails, segments = [] }) => {
			const reasons = guardrails
				.filter((g) => g.guardrail === 'breached')
				.map(
					(g) =>
						`Guardrail ${name(g)} is breached: it changed by ${describeChange(g, toleranceScale(g))}, beyond the tolerance of ${g.tolerance === null ? 'n/a' : describeSize(g, g.tolerance)}.`
				);
			// A segment that breaches a guardrail counts even when the total holds.
			for (const g of guardrails.filter((g) => g.guardrail !== 'breached')) {
				const breakdown = segments.find((b) => b.metricKey === g.key);
				for (const seg of breakdown?.segments ?? []) {
					if (seg.guardrail !== 'breached') continue;
					reasons.push(
						`Guardrail ${name(g)} is breached in segment ${segmentName(seg)}: it changed by ${describeChange({ ...seg, unit: g.unit }, toleranceScale(g))}, beyond the tolerance of ${g.tolerance === null ? 'n/a' : describeSize(g, g.tolerance)}, although the total ${g.guardrail === 'holds' ? 'holds' : 'is unclear'}.`
					);
				}
			}
			return reasons.length === 0 ? null : reasons;
		}
	},
	{
		id: 'primary-worsened',
		decision: 'discard',
		description: 'The primary metric worsened',
		reasons: ({ primary }) =>
			primary?.verdict === 'worsened'
				? [`The primary metric ${name(primary)} got worse: ${describeChange(primary)}.`]
				: null
	},
	{
		id: 'not-enough-evidence',
		decision: 'keep_measuring',
		description:
			'Primary metric has insufficient data or its CI contains both 0 and the target, or a guardrail is unclear',
		reasons: ({ primary, guardrails }) => {
			if (primary === null) return null;
			const reasons: string[] = [];
			if (primary.verdict === 'insufficient_data') {
				const why =
					primary.reasons.length > 0
						? primary.reasons.map(describeReason).join('; ')
						: 'too few cases';
				reasons.push(
					`${name(primary)} has ${primary.baseline.n} baseline and ${primary.pilot.n} pilot cases: not enough to judge (${why})${stillNeeded(primary)}.`
				);
			} else {
				const change = ciOnTargetScale(primary);
				const ci = change?.ci95 ?? null;
				if (primary.target !== null && ci !== null) {
					const goal = scaledSize(primary.target);
					if (ci[0] <= 0 && ci[1] >= 0 && ci[0] <= goal && ci[1] >= goal) {
						reasons.push(
							`${name(primary)} changed by ${describeChange(primary, 'relative' in primary.target ? 'relative' : 'absolute')}: the interval still contains both no change and the target ${describeSize(primary, primary.target)}${stillNeeded(primary)}.`
						);
					}
				}
			}
			for (const g of guardrails.filter((g) => g.guardrail === 'unclear')) {
				reasons.push(
					`Guardrail ${name(g)} is unclear: ${describeChange(g, g.tolerance !== null && 'relative' in g.tolerance ? 'relative' : 'absolute')} does not yet rule out a worsening beyond ${g.tolerance === null ? 'n/a' : describeSize(g, g.tolerance)}${stillNeeded(g)}.`
				);
			}
			return reasons.length === 0 ? null : reasons;
		}
	},
	{
		id: 'surely-below-target',
		decision: 'correct',
		description: 'The primary metric improved but its CI lies entirely short of the target',
		reasons: ({ primary }) => shortOfTarget(primary, 'improved')
	},
	{
		id: 'no-change-short-of-target',
		decision: 'discard',
		description: 'No detectable change, and the CI lies entirely short of the target',
		reasons: ({ primary }) => shortOfTarget(primary, 'no_detectable_change')
	},
	{
		id: 'evaluation-or-governance',
		decision: 'correct',
		description:
			'A required evaluation criterion fails or is untested, or governance is incomplete',
		reasons: ({ gates, governanceMissing }) => {
			const reasons = gates
				.filter((g) => g.status !== 'passed')
				.map((g) =>
					g.status === 'untested'
						? `Evaluation criterion “${criterionLabel(g.criterion)}” has not been tested (it needs a pass rate of ${formatPercent(g.threshold, false)}).`
						: `Evaluation criterion “${criterionLabel(g.criterion)}” fails: ${formatPercent(g.passRate, false)} of ${g.total} passed, lower 95% bound ${formatPercent(g.wilsonLower, false)}, below the required ${formatPercent(g.threshold, false)}.`
				);
			if (governanceMissing === null) reasons.push('Governance has not been filled in.');
			else {
				for (const item of governanceMissing) reasons.push(`Governance answer missing: ${item}.`);
			}
			return reasons.length === 0 ? null : reasons;
		}
	},
	{
		id: 'net-benefit',
		decision: 'correct',
		description: 'Annualised net benefit not positive, or an input to value it is missing',
		reasons: ({ economics }) => {
			if (economics.annualNetBenefit === null) {
				const missing =
					economics.missing.length > 0 ? economics.missing : ['net benefit not computable'];
				return missing.map((m) => `Cannot value the pilot: ${m}.`);
			}
			if (economics.annualNetBenefit <= 0) {
				return [
					`The annualised net benefit is ${formatNumber(economics.annualNetBenefit)} ${economics.currency ?? ''}`.trimEnd() +
						': the pilot costs more than it returns.'
				];
			}
			return null;
		}
	},
	{
		id: 'baseline-trend',
		decision: 'keep_measuring',
		description:
			'The primary metric would meet its target, but not net of the baseline’s own trend',
		reasons: ({ primary, baselineDrift }) => {
			if (
				primary === null ||
				primary.verdict !== 'improved' ||
				primary.meetsTarget !== true ||
				baselineDrift?.trendReachesTarget !== true
			) {
				return null;
			}
			const scale =
				primary.target !== null && 'absolute' in primary.target ? 'absolute' : 'relative';
			const netValue = baselineDrift.changeNetOfTrend;
			const net =
				netValue === null
					? 'unknown'
					: scale === 'relative'
						? formatPercent(netValue)
						: `${formatSigned(netValue)}${primary.unit === null ? '' : ` ${primary.unit}`}`;
			const control =
				primary.differenceInDifferences === null
					? 'Add a control cohort (cases handled without the AI during the pilot) to separate the pilot’s effect from the trend.'
					: (baselineDrift.sentences.parallelTrends ??
						'Compare with the control cohort’s change before deciding.');
			return [
				`${name(primary)} changed by ${describeChange(primary, scale)}, but the baseline was already moving that way: net of its trend the change would be ${net}, short of the target ${primary.target === null ? '' : describeSize(primary, primary.target)}. ${baselineDrift.sentences.trend}`,
				control
			];
		}
	},
	{
		id: 'scale',
		decision: 'scale',
		description: 'The primary metric improved and meets its target',
		reasons: ({ primary, economics, segments = [] }) =>
			primary !== null && primary.verdict === 'improved' && primary.meetsTarget === true
				? [
						`${name(primary)} improved by ${describeChange(primary, primary.target !== null && 'absolute' in primary.target ? 'absolute' : 'relative')}, reaching the target ${primary.target === null ? '' : describeSize(primary, primary.target)}.`,
						`Annualised net benefit ${formatNumber(economics.annualNetBenefit)} ${economics.currency ?? ''}`.trimEnd() +
							(economics.intervals.annualNetBenefit === null
								? '.'
								: ` (${formatInterval(economics.intervals.annualNetBenefit as [number, number], (x) => formatNumber(x))}).`),
						...whereTheGainIs(
							primary,
							segments.find((b) => b.metricKey === primary.key)
						)
					]
				: null
	},
	{
		id: 'otherwise',
		decision: 'keep_measuring',
		description: 'Otherwise',
		reasons: ({ primary }) => {
			if (primary === null) return ['No primary metric.'];
			if (primary.target === null) {
				return [
					`${name(primary)} changed by ${describeChange(primary)}, but it has no target: set the improvement that would justify scaling.`
				];
			}
			return [
				`${name(primary)} changed by ${describeChange(primary, 'relative' in primary.target ? 'relative' : 'absolute')}; it has not yet shown that it reaches the target ${describeSize(primary, primary.target)}${stillNeeded(primary)}.`
			];
		}
	}
];

function toleranceScale(g: MetricReport): 'absolute' | 'relative' {
	return g.tolerance !== null && 'relative' in g.tolerance ? 'relative' : 'absolute';
}

/** Where the primary metric's gain comes from, and segments whose change differs. */
function whereTheGainIs(primary: MetricReport, breakdown: SegmentBreakdown | undefined): string[] {
	if (breakdown === undefined || breakdown.segments.length < 2) return [];
	const shares = breakdown.segments
		.filter((s) => s.shareOfChange !== null)
		.sort((a, b) => (b.shareOfChange ?? 0) - (a.shareOfChange ?? 0));
	const lines: string[] = [];
	const top = shares[0];
	if (top !== undefined && top.shareOfChange !== null && top.shareOfChange >= 0.5) {
		lines.push(
			`Most of the gain comes from segment ${segmentName(top)} (${formatPercent(top.shareOfChange, false)} of it).`
		);
	} else if (shares.length > 0) {
		lines.push(
			`The gain is spread across segments: ${shares
				.map((s) => `${segmentName(s)} ${formatPercent(s.shareOfChange, false)}`)
				.join(', ')}.`
		);
	}
	for (const seg of breakdown.segments.filter((s) => s.differs?.flagged === true)) {
		const unit = primary.unit === null ? '' : ` ${primary.unit}`;
		lines.push(
			`Segment ${segmentName(seg)} differs from the rest: it changed by ${describeChange({ ...seg, unit: primary.unit })}; its change minus the others’ is ${formatSigned(seg.differs!.estimate)}${unit} (${formatInterval(seg.differs!.ci95, (x) => formatSigned(x), 'anytime 95% interval, Holm-adjusted')}).`
		);
	}
	return lines;
}

function shortOfTarget(
	primary: MetricReport | null,
	verdict: 'improved' | 'no_detectable_change'
): string[] | null {
	if (primary === null || primary.verdict !== verdict || primary.target === null) return null;
	const change = ciOnTargetScale(primary);
	if (change?.ci95 == null) return null;
	const goal = scaledSize(primary.target);
	const short = primary.direction === 'decrease' ? change.ci95[0] > goal : change.ci95[1] < goal;
	if (!short) return null;
	const what = verdict === 'improved' ? 'improved' : 'showed no detectable change';
	return [
		`${name(primary)} ${what}: ${describeChange(primary, 'relative' in primary.target ? 'relative' : 'absolute')}, which is surely short of the target ${describeSize(primary, primary.target)}.`
	];
}

export function recommend(
	facts: RecommendationFacts,
	rules: readonly RecommendationRule[] = DEFAULT_RULES
): Recommendation {
	for (const rule of rules) {
		const reasons = rule.reasons(facts);
		if (reasons !== null) return { decision: rule.decision, reasons, rule: rule.id };
	}
	return { decision: 'keep_measuring', reasons: ['No rule matched.'], rule: 'none' };
}
