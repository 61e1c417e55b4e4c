import type { DecisionInterval, PlannedCases } from './decision-interval';
import type { BaselineDrift } from './baseline-drift';
import type { EconomicsResult } from './economics';
import type { SegmentBreakdown } from './segments';
import type { GateResult } from './evaluation-gates';
import type { MetricKind } from './phase-estimate';
import type { PowerResult } from './power';
import type { ReasonCode } from './reasons';
import type { Change } from './welch';
import type { Direction, GuardrailStatus, Scaled, Verdict } from './verdict';

export type Decision = 'keep_measuring' | 'correct' | 'discard' | 'scale';
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

/** One metric of the impact report: docs/api.md's fields first, then documented extras. */
export interface MetricReport {
	readonly key: string;
	readonly kind: MetricKind;
	readonly direction: Direction;
	readonly role: MetricRole;
	readonly baseline: {
		readonly n: number;
		readonly value: number | null;
		/** `events` (measured) or `summary` (entered by hand); `null` without a baseline. */
		readonly source: 'events' | 'summary' | null;
		/** Where a summary came from, as entered ("Zendesk export, September"). */
		readonly sourceNote?: string;
	};
	readonly pilot: { readonly n: number; readonly value: number | null };
	readonly absoluteChange: Change | null;
	readonly relativeChange: Change | null;
	readonly verdict: Verdict;
	readonly meetsTarget: boolean | null;
	// Extras beyond docs/api.md:
	readonly label: string;
	readonly unit: string | null;
	readonly target: Scaled | null;
	readonly tolerance: Scaled | null;
	/** Guardrail metrics only. */
	readonly guardrail: GuardrailStatus | null;
	/**
	 * The interval the verdict, `meetsTarget` and `guardrail` are judged on: anytime-valid
	 * (a confidence sequence) and adjusted with the metric's family of tests. `absoluteChange` and
	 * `relativeChange` keep the fixed-horizon interval, valid for one look only.
	 */
	readonly decisionInterval: DecisionInterval;
	/** When control-cohort cases exist in both windows. */
	readonly differenceInDifferences: {
		readonly change: Change;
		readonly controlChange: number;
		readonly control: { readonly baselineN: number; readonly pilotN: number };
	} | null;
	/** For metrics without a verdict yet (insufficient data, no detectable change). */
	readonly power: PowerResult | null;
	/** Why numbers are missing, as codes (see `REASON_TEXT` for words). */
	readonly reasons: readonly ReasonCode[];
}

export interface Amendment {
	readonly at: string;
	readonly reason: string;
	readonly by?: string;
}

export interface ImpactReport {
	readonly pilot: { readonly slug: string; readonly name: string; readonly stage: string };
	readonly generatedAt: string;
	readonly metrics: readonly MetricReport[];
	readonly economics: EconomicsResult;
	readonly recommendation: {
		readonly decision: Decision;
		readonly reasons: readonly string[];
		/** Id of the rule that decided (see `DEFAULT_RULES`). */
		readonly rule: string;
	};
	// Extras beyond docs/api.md:
	readonly cases: {
		readonly baseline: { readonly ai: number; readonly control: number };
		readonly pilot: { readonly ai: number; readonly control: number };
	};
	readonly pilotDaysElapsed: number | null;
	readonly evaluationGates: readonly GateResult[];
	readonly governanceMissing: readonly string[] | null;
	readonly amendments: readonly Amendment[];
	readonly settings: {
		readonly alpha: number;
		readonly power: number;
		readonly minSamples: number;
	};
	/** The pilot's planned cases (of the primary metric), which tune the confidence sequences. */
	readonly plannedPilotCases: PlannedCases | null;
	/** The primary metric and the guardrails per segment (empty without segments). */
	readonly segments: readonly SegmentBreakdown[];
	/** The primary metric's baseline trend and weekday mix; `null` without per-day data. */
	readonly baselineDrift: BaselineDrift | null;
}
