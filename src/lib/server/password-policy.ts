import { passwordProblem } from './auth/password';

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
