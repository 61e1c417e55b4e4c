import { anonymousActor, record, recordDenial } from '../audit/audit';
import type { UserRow } from '../db/schema';
import * as users from './users';
import { passwordChecks, signInBackoff } from './rate-limit';

// Checking a sign-in: the throttles first, then the password. An attempt is counted as a
// failure before its password is hashed, so parallel guesses see each other, and taken back
// when the password is right.

export type SignInResult =
	| { ok: true; user: UserRow }
	| { ok: false; status: 400; message: string }
	| { ok: false; status: 429; retryAfter: number; message: string };

function waitMessage(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export async function attemptSignIn(
	email: string,
	password: string,
	address: string | null,
	now: number = Date.now(),
	checkPassword: (email: string, password: string) => Promise<UserRow | null> = (e, p) =>
		users.checkPassword(e, p)
): Promise<SignInResult> {
	const from = address ?? 'unknown';
	const account = email.toLowerCase();
	const keys = {
		byAccountAndAddress: `${account}\u0000${from}`,
		byAddress: from,
		byAccount: account
	};
	const wait = Math.max(
		signInBackoff.byAccountAndAddress.retryAfter(keys.byAccountAndAddress, now),
		signInBackoff.byAddress.retryAfter(keys.byAddress, now),
		signInBackoff.byAccount.retryAfter(keys.byAccount, now)
	);
	const release = wait > 0 ? null : passwordChecks.enter(from);
	if (release === null) {
		const retryAfter = Math.max(wait, 1);
		await recordDenial(anonymousActor, {
			kind: 'login.throttled',
			action: 'login.throttled',
			targetType: 'user',
			targetLabel: email,
			detail:
				wait > 0 ? `retry after ${retryAfter} s` : 'too many sign-ins at once from this address',
			address: from
		});
		return {
			ok: false,
			status: 429,
			retryAfter,
			message:
				wait > 0
					? `Too many failed sign-ins. Try again in ${waitMessage(retryAfter)}.`
					: 'Too many sign-ins at once. Try again in a second.'
		};
	}

	signInBackoff.byAccountAndAddress.fail(keys.byAccountAndAddress, now);
	signInBackoff.byAddress.fail(keys.byAddress, now);
	signInBackoff.byAccount.fail(keys.byAccount, now);
	let user: UserRow | null;
	try {
		user = await checkPassword(email, password);
	} finally {
		release();
	}
	if (!user) {
		await record(anonymousActor, {
			action: 'login.failure',
			targetType: 'user',
			targetLabel: email,
			address: from
		});
		return { ok: false, status: 400, message: 'Wrong email or password.' };
	}
	signInBackoff.byAccountAndAddress.clear(keys.byAccountAndAddress);
	// Only this attempt is taken back from the other two: one person's success must not wipe
	// out what others' guesses from elsewhere have counted.
	signInBackoff.byAccount.forgive(keys.byAccount);
	signInBackoff.byAddress.forgive(keys.byAddress);
	return { ok: true, user };
}
