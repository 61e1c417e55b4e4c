import type { Decision, GuardrailStatus, Verdict } from '../metrics';
import type { GuardrailSummary } from './portfolio-view';

// The product's words for its judgements, in one place: every page, the printed report, the
// chart tables and the messages say "Keep measuring" or "Breached" the same way. Each word
// has a tone, the status colour it is shown in; the word always travels with the colour.

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** The words and the tones of one judgement's values, from one table of both. */
function worded<K extends string>(
	table: Record<K, readonly [text: string, tone: Tone]>
): { text: Record<K, string>; tone: Record<K, Tone> } {
	const entries = Object.entries(table) as [K, readonly [string, Tone]][];
	return {
		text: Object.fromEntries(entries.map(([key, [text]]) => [key, text])) as Record<K, string>,
		tone: Object.fromEntries(entries.map(([key, [, tone]]) => [key, tone])) as Record<K, Tone>
	};
}

/** A metric's verdict against its baseline. */
export const { text: VERDICT_TEXT, tone: VERDICT_TONE } = worded<Verdict>({
	improved: ['Improved', 'good'],
	worsened: ['Worsened', 'bad'],
	no_detectable_change: ['No detectable change', 'neutral'],
	insufficient_data: ['Insufficient data', 'warn']
});

/** A recommendation or a recorded decision, as a label. */
export const { text: DECISION_TEXT, tone: DECISION_TONE } = worded<Decision>({
	scale: ['Scale', 'good'],
	correct: ['Correct', 'warn'],
	discard: ['Discard', 'bad'],
	keep_measuring: ['Keep measuring', 'neutral']
});
/** The same inside a sentence ("the recommendation is “keep measuring”"). */
export function decisionWord(decision: string): string {
	return Object.hasOwn(DECISION_TEXT, decision)
		? DECISION_TEXT[decision as Decision].toLowerCase()
		: decision;
}

/** One guardrail metric. */
export const { text: GUARDRAIL_TEXT, tone: GUARDRAIL_TONE } = worded<GuardrailStatus>({
	holds: ['Holds', 'good'],
	breached: ['Breached', 'bad'],
	unclear: ['Unclear so far', 'warn']
});

/** All of a pilot's guardrails together, as the portfolio shows them. */
export const { text: GUARDRAILS_TEXT, tone: GUARDRAILS_TONE } = worded<GuardrailSummary>({
	holds: ['all hold', 'good'],
	unclear: ['unclear', 'warn'],
	breached: ['breached', 'bad'],
	none: ['none set', 'neutral']
});

/** A pilot's evaluation gates together (its AI's quality). */
export type QualityStatus = 'passing' | 'failing' | 'untested' | 'no_gates';
export const { text: QUALITY_TEXT, tone: QUALITY_TONE } = worded<QualityStatus>({
	passing: ['passing', 'good'],
	failing: ['failing', 'bad'],
	untested: ['not tested', 'warn'],
	no_gates: ['no gates set', 'neutral']
});
