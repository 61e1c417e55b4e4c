import { decisionWord } from './wording';

// A decision against the recommendation is an override. Its rationale must carry an argument
// a later reader can weigh, not a token "ok": a minimum of words and characters is a crude but
// honest floor, and the message says what is expected.

/** Words (two letters or digits or more) an override's rationale must have at least. */
export const OVERRIDE_MIN_WORDS = 8;
/** Characters an override's rationale must have at least, trimmed. */
export const OVERRIDE_MIN_CHARACTERS = 40;

/**
 * A decision differing from the recommendation stored with it. Without a stored
 * recommendation (decisions recorded before the app kept one) nothing can be said.
 */
export function isOverride(decision: string, recommended: string | null): boolean {
	return recommended !== null && recommended !== decision;
}

function wordCount(text: string): number {
	return (text.match(/[\p{L}\p{N}]{2,}/gu) ?? []).length;
}

/**
 * Why an override's rationale is not enough, in words for the person writing it; `null` when
 * it is. The recommendation is named so the writer knows what they are arguing against.
 */
export function overrideRationaleProblem(
	rationale: string,
	recommended: string | null
): string | null {
	const text = rationale.trim();
	if (text.length >= OVERRIDE_MIN_CHARACTERS && wordCount(text) >= OVERRIDE_MIN_WORDS) return null;
	const against =
		recommended === null
			? 'there is no recommendation yet'
			: `the recommendation is “${decisionWord(recommended)}”`;
	return (
		`This decision overrides the analysis (${against}): explain in at least ${OVERRIDE_MIN_WORDS} words ` +
		`(${OVERRIDE_MIN_CHARACTERS} characters) what the numbers miss or what weighs more than them.`
	);
}
