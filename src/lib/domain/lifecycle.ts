import type { ReadinessGap } from './readiness';

// The lifecycle moves only by explicit actions. Each action is data: where it starts,
// where it leads, what it requires in words, and which requirements are still unmet.

export const stages = ['draft', 'baseline', 'running', 'decided'] as const;
export type Stage = (typeof stages)[number];

export const stageLabels: Record<Stage, string> = {
	draft: 'Draft',
	baseline: 'Baseline',
	running: 'Running',
	decided: 'Decided'
};

export const stageDescriptions: Record<Stage, string> = {
	draft: 'Writing the charter and governance',
	baseline: 'Measurement plan defined, baseline being measured',
	running: 'Plan and baseline locked; the pilot is live',
	decided: 'Scaled, corrected or discarded'
};

export const decisionKinds = ['scale', 'correct', 'discard'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export interface PilotFacts {
	stage: Stage;
	readinessGaps: ReadinessGap[];
	hasBaselineWindow: boolean;
	hasPilotWindow: boolean;
	/** The measurement plan names a primary metric (the ROI indicator). */
	hasPrimaryMetric: boolean;
	/** The primary metric has a baseline: baseline-window events or an entered summary. */
	hasPrimaryBaseline: boolean;
}

export type StageAction = 'begin-baseline' | 'start-pilot' | 'record-decision' | 'reopen-draft';

export interface StageTransition {
	action: StageAction;
	from: Stage;
	to: Stage;
	label: string;
	requires: string;
	unmet: (facts: PilotFacts) => string[];
}

const charterGap = (facts: PilotFacts, field: string): string[] =>
	facts.readinessGaps.filter((g) => g.field === field).map((g) => g.message);

export const transitions: readonly StageTransition[] = [
	{
		action: 'begin-baseline',
		from: 'draft',
		to: 'baseline',
		label: 'Start measuring the baseline',
		requires:
			'The concrete problem, the ROI indicator, the baseline window and a measurement plan with a primary metric.',
		unmet: (facts) => [
			...charterGap(facts, 'problem'),
			...charterGap(facts, 'roiIndicator'),
			...(facts.hasBaselineWindow ? [] : ['No baseline window set']),
			...(facts.hasPrimaryMetric ? [] : ['The measurement plan has no primary metric'])
		]
	},
	{
		action: 'start-pilot',
		from: 'baseline',
		to: 'running',
		label: 'Start the pilot',
		requires:
			'Full readiness (every charter and governance question answered), the pilot window and a baseline for the primary metric. Starting locks the plan and the baseline.',
		unmet: (facts) => [
			...facts.readinessGaps.map((g) => g.message),
			...(facts.hasPilotWindow ? [] : ['No pilot window set']),
			...(facts.hasPrimaryMetric ? [] : ['The measurement plan has no primary metric']),
			...(facts.hasPrimaryMetric && !facts.hasPrimaryBaseline
				? ['The primary metric has no baseline yet (baseline events or an entered summary)']
				: [])
		]
	},
	{
		action: 'reopen-draft',
		from: 'baseline',
		to: 'draft',
		label: 'Back to draft',
		requires: 'Nothing: the plan is not locked until the pilot starts.',
		unmet: () => []
	},
	{
		action: 'record-decision',
		from: 'running',
		to: 'decided',
		label: 'Record the decision',
		requires: 'A decision (scale, correct or discard) and the rationale behind it.',
		unmet: () => []
	}
];

/** The actions offered at the pilot's current stage, each with what it still lacks. */
export function availableTransitions(
	facts: PilotFacts
): { transition: StageTransition; unmet: string[] }[] {
	return transitions
		.filter((t) => t.from === facts.stage)
		.map((transition) => ({ transition, unmet: transition.unmet(facts) }));
}
