import type { MetricKind } from './phase-estimate';
import type { Comparison } from './compare';
import type { Change } from './welch';
import { adjust, adjustedAlpha, type Adjustment } from './multiple-testing';
import { anytimeInterval } from './sequential';
import { tInterval } from './welch';

/**
 * The interval a metric is judged on (verdict, meetsTarget, surely-below-target, guardrail
 * holds / breached), beside the fixed-horizon interval the report also keeps:
 * - mean, proportion and ratio metrics: the confidence sequence (sequential.ts), valid however
 *   often the report is read;
 * - quantile metrics have no confidence sequence here: they are judged on their fixed-horizon
 *   interval, and only once the pilot's planned cases are in (before that their verdict is
 *   `insufficient_data` with the reason `quantile_awaits_planned_cases`), so they are read
 *   once, at the horizon the interval is valid for;
 * - tests that feed one decision are adjusted together (Holm for the primary metric and the
 *   guardrails, Benjamini–Hochberg for the secondary metrics), by drawing each interval at the
 *   error rate where it excludes 0 exactly when its adjusted p-value is below alpha.
 */
export type IntervalMethod = 'confidence_sequence' | 'fixed_horizon_at_planned_cases';

export interface JudgedChange {
	readonly ci95: readonly [number, number] | null;
	readonly pValue: number | null;
}

export interface DecisionInterval {
	readonly method: IntervalMethod;
	/** Cases at which the sequence is tightest: baseline cases + planned pilot cases. */
	readonly tuningCases: number | null;
	readonly adjustment: Adjustment;
	/** Tests adjusted together with this one (1 = none). */
	readonly familySize: number;
	/** Error rate the intervals below are drawn at (alpha, or less after an adjustment). */
	readonly alpha: number;
	/** Adjusted p-value of "no change"; equal to the raw one without an adjustment. */
	readonly pValueAdjusted: number | null;
	readonly absoluteChange: JudgedChange | null;
	readonly relativeChange: JudgedChange | null;
}

/** Where the planned pilot cases come from: the plan, its volume and window, or the baseline. */
export type PlannedCasesSource = 'plan' | 'monthly_volume' | 'baseline';

export interface PlannedCases {
	readonly cases: number;
	readonly source: PlannedCasesSource;
}

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;

/**
 * The pilot's planned cases: the plan's `plannedPilotCases`; else the expected monthly volume
 * over the pilot window's length; else as many as the baseline (a pilot as long as the
 * evidence it is compared with). This is the sequence's tuning: it is tightest there.
 */
export function plannedPilotCases(
	plan: {
		readonly plannedPilotCases?: number;
		readonly pilotWindow: { readonly start: string; readonly end: string };
		readonly economics?: { readonly monthlyVolume?: number };
	},
	baselineCases: number,
	minSamples: number
): PlannedCases {
	if (plan.plannedPilotCases !== undefined && plan.plannedPilotCases > 0) {
		return { cases: plan.plannedPilotCases, source: 'plan' };
	}
	const volume = plan.economics?.monthlyVolume;
	const days = (Date.parse(plan.pilotWindow.end) - Date.parse(plan.pilotWindow.start)) / DAY_MS;
	if (volume !== undefined && volume > 0 && days > 0) {
		return {
			cases: Math.max(minSamples, Math.round((volume * days) / DAYS_PER_MONTH)),
			source: 'monthly_volume'
		};
	}
	return { cases: Math.max(minSamples, baselineCases), source: 'baseline' };
}

export interface DecisionInput {
	readonly kind: MetricKind;
	readonly comparison: Comparison;
	/** Below minSamples (or otherwise not judged): no test enters a family. */
	readonly judged: boolean;
	readonly plannedPilotCases: number;
}

/** The unadjusted p-value a metric brings to its family, or `null` when it is not tested. */
function rawPValue(input: DecisionInput, alpha: number): number | null {
	const abs = input.comparison.absoluteChange;
	if (!input.judged || abs === null || abs.standardError === null || !(abs.standardError > 0)) {
		return null;
	}
	if (input.kind === 'quantile') {
		return input.comparison.pilot.n >= input.plannedPilotCases ? abs.pValue : null;
	}
	const { baseline, pilot } = input.comparison;
	const n = baseline.n + pilot.n;
	return anytimeInterval(abs.estimate, abs.standardError, n, tuning(input), alpha)?.pValue ?? null;
}

function tuning(input: DecisionInput): number {
	return input.comparison.baseline.n + input.plannedPilotCases;
}

function judgedChange(
	change: Change | null,
	input: DecisionInput,
	alpha: number,
	configuredAlpha: number
): JudgedChange | null {
	if (change === null) return null;
	if (change.standardError === null || !(change.standardError > 0)) {
		return { ci95: null, pValue: null };
	}
	if (input.kind === 'quantile') {
		if (input.comparison.pilot.n < input.plannedPilotCases) return { ci95: null, pValue: null };
		const fixed = tInterval(change.estimate, change.standardError, change.df, alpha);
		return { ci95: fixed.ci95, pValue: change.pValue };
	}
	const n = input.comparison.baseline.n + input.comparison.pilot.n;
	const seq = anytimeInterval(
		change.estimate,
		change.standardError,
		n,
		tuning(input),
		alpha,
		configuredAlpha
	);
	return seq === null ? { ci95: null, pValue: null } : { ci95: seq.ci, pValue: seq.pValue };
}

/**
 * Decision intervals for one family of tests adjusted together (`method` applies when the
 * family has two or more tests).
 */
export function decisionIntervals(
	inputs: readonly DecisionInput[],
	method: Adjustment,
	alpha: number
): DecisionInterval[] {
	const raw = inputs.map((input) => rawPValue(input, alpha));
	const familySize = raw.filter((p) => p !== null).length;
	const adjustment: Adjustment = familySize >= 2 ? method : 'none';
	const adjusted = adjust(raw, adjustment);
	return inputs.map((input, i) => {
		const p = raw[i];
		const pAdj = adjusted[i];
		const level =
			p === null || pAdj === null || adjustment === 'none'
				? alpha
				: adjustedAlpha(alpha, p, pAdj, familySize);
		const absolute = judgedChange(input.comparison.absoluteChange, input, level, alpha);
		return {
			method: input.kind === 'quantile' ? 'fixed_horizon_at_planned_cases' : 'confidence_sequence',
			tuningCases: input.kind === 'quantile' ? null : tuning(input),
			adjustment: p === null ? 'none' : adjustment,
			familySize: p === null ? 1 : familySize,
			alpha: level,
			pValueAdjusted: pAdj,
			absoluteChange: absolute,
			relativeChange: judgedChange(input.comparison.relativeChange, input, level, alpha)
		};
	});
}

/** The comparison with its intervals and p-values replaced by the ones judged on. */
export function judgedComparison(comparison: Comparison, decision: DecisionInterval): Comparison {
	const swap = (change: Change | null, judged: JudgedChange | null): Change | null =>
		change === null
			? null
			: { ...change, ci95: judged?.ci95 ?? null, pValue: judged?.pValue ?? null };
	return {
		...comparison,
		absoluteChange: swap(comparison.absoluteChange, decision.absoluteChange),
		relativeChange: swap(comparison.relativeChange, decision.relativeChange)
	};
}
