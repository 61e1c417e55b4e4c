import { commonPasswords } from './common-passwords';

// The rules a new password must pass: pure, so the account forms' schemas can apply them.

export const minPasswordLength = 8;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
	if (password.length < minPasswordLength) {
		return `Use at least ${minPasswordLength} characters`;
	}
	if (password.length > 256) return 'Use at most 256 characters';
	const lower = password.toLowerCase();
	if (commonPasswords.has(lower)) return 'This password is too common; choose another';
	return null;
}

// Long enough is not enough: "aaaaaaaa" and eight spaces pass a length rule and a list of
// common passwords alike, and fall to the first guesses of any attacker.

const MIN_DISTINCT_CHARACTERS = 4;

/** Why a password is trivial (blank, or a few characters repeated), or null. */
export function trivialPasswordProblem(password: string): string | null {
	if (password.trim() === '') return 'Use more than spaces';
	if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
		return `Use at least ${MIN_DISTINCT_CHARACTERS} different characters, not one or two repeated`;
	}
	return null;
}

/** Every rule a new password must pass, for new accounts and changed passwords alike. */
export function newPasswordProblem(password: string): string | null {
	return passwordProblem(password) ?? trivialPasswordProblem(password);
}
