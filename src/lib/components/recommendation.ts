import type { Decision } from '$lib/metrics';

export const DECISION_TEXT: Record<Decision, string> = {
	scale: 'Scale',
	correct: 'Correct',
	discard: 'Discard',
	keep_measuring: 'Keep measuring'
};

/** Status colour of a decision; the word is always shown with it. */
export const DECISION_TONE: Record<Decision, 'good' | 'warn' | 'bad' | 'neutral'> = {
	scale: 'good',
	correct: 'warn',
	discard: 'bad',
	keep_measuring: 'neutral'
};
