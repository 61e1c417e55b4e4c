import type { Decision, GuardrailStatus, Verdict } from '../metrics';
import type { GuardrailSummary } from './portfolio-view';

// The product's words for its judgements, in one place: every page, the printed report, the
// chart tables and the messages say "Keep measuring" or "Breached" the same way. Each word
// has a tone, the status colour it is shown in; the word always travels with the colour.

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** A metric's verdict against its baseline. */
export const VERDICT_TEXT: Record<Verdict, string> = {
	improved: 'Improved',
	worsened: 'Worsened',
	no_detectable_change: 'No detectable change',
	insufficient_data: 'Insufficient data'
};
export const VERDICT_TONE: Record<Verdict, Tone> = {
	improved: 'good',
	worsened: 'bad',
	no_detectable_change: 'neutral',
	insufficient_data: 'warn'
};

/** A recommendation or a recorded decision, as a label. */
export const DECISION_TEXT: Record<Decision, string> = {
	scale: 'Scale',
	correct: 'Correct',
	discard: 'Discard',
	keep_measuring: 'Keep measuring'
};
export const DECISION_TONE: Record<Decision, Tone> = {
	scale: 'good',
	correct: 'warn',
	discard: 'bad',
	keep_measuring: 'neutral'
};
/** The same inside a sentence ("the recommendation is “keep measuring”"). */
export function decisionWord(decision: string): string {
	return Object.hasOwn(DECISION_TEXT, decision)
		? DECISION_TEXT[decision as Decision].toLowerCase()
		: decision;
}

/** One guardrail metric. */
export const GUARDRAIL_TEXT: Record<GuardrailStatus, string> = {
	holds: 'Holds',
	breached: 'Breached',
	unclear: 'Unclear so far'
};
export const GUARDRAIL_TONE: Record<GuardrailStatus, Tone> = {
	holds: 'good',
	breached: 'bad',
	unclear: 'warn'
};

/** All of a pilot's guardrails together, as the portfolio shows them. */
export const GUARDRAILS_TEXT: Record<GuardrailSummary, string> = {
	holds: 'all hold',
	unclear: 'unclear',
	breached: 'breached',
	none: 'none set'
};
export const GUARDRAILS_TONE: Record<GuardrailSummary, Tone> = {
	holds: 'good',
	unclear: 'warn',
	breached: 'bad',
	none: 'neutral'
};

/** A pilot's evaluation gates together (its AI's quality). */
export type QualityStatus = 'passing' | 'failing' | 'untested' | 'no_gates';
export const QUALITY_TEXT: Record<QualityStatus, string> = {
	passing: 'passing',
	failing: 'failing',
	untested: 'not tested',
	no_gates: 'no gates set'
};
export const QUALITY_TONE: Record<QualityStatus, Tone> = {
	passing: 'good',
	failing: 'bad',
	untested: 'warn',
	no_gates: 'neutral'
};
