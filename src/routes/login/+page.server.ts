import { fail, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { anonymousActor, record, recordDenial } from '$lib/server/audit';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { passwordChecks, signInBackoff } from '$lib/server/auth/rate-limit';
import { sameSitePath } from '$lib/server/auth/redirect-target';
import { demoAccounts } from '$lib/server/demo-portfolio';
import * as sessions from '$lib/server/sessions';
import * as users from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = sameSitePath(url.searchParams.get('redirectTo'), url.origin);
	if (locals.user) redirect(303, redirectTo);
	// Which demo accounts exist, never their passwords: those are printed once at start-up.
	const demo =
		env.SEED_DEMO !== 'false' && users.findByEmail(demoAccounts[0].email)
			? demoAccounts.map(({ email, role, label }) => ({ email, role: label ?? role }))
			: [];
	return { redirectTo, demo };
};

function waitMessage(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export const actions: Actions = {
	default: async ({ request, cookies, url, locals, setHeaders }) => {
		const data = await request.formData();
		const email = String(data.get('email') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const redirectTo = sameSitePath(String(data.get('redirectTo') ?? '/'), url.origin);
		if (!email || !password) {
			return fail(400, { email, message: 'Enter your email and password.' });
		}

		const now = Date.now();
		const account = email.toLowerCase();
		const address = locals.request.address ?? 'unknown';
		const keys = {
			byAccountAndAddress: `${account}\u0000${address}`,
			byAddress: address,
			byAccount: account
		};
		const wait = Math.max(
			signInBackoff.byAccountAndAddress.retryAfter(keys.byAccountAndAddress, now),
			signInBackoff.byAddress.retryAfter(keys.byAddress, now),
			signInBackoff.byAccount.retryAfter(keys.byAccount, now)
		);
		const release = wait > 0 ? null : passwordChecks.enter(address);
		if (release === null) {
			const seconds = Math.max(wait, 1);
			recordDenial(anonymousActor, {
				kind: 'login.throttled',
				action: 'login.throttled',
				targetType: 'user',
				targetLabel: email,
				detail:
					wait > 0 ? `retry after ${seconds} s` : 'too many sign-ins at once from this address',
				address
			});
			setHeaders({ 'retry-after': String(seconds) });
			return fail(429, {
				email,
				message:
					wait > 0
						? `Too many failed sign-ins. Try again in ${waitMessage(seconds)}.`
						: 'Too many sign-ins at once. Try again in a second.'
			});
		}

		// Counted as a failure before the password is checked, so that parallel guesses see each
		// other; taken back when the password is right.
		signInBackoff.byAccountAndAddress.fail(keys.byAccountAndAddress, now);
		signInBackoff.byAddress.fail(keys.byAddress, now);
		signInBackoff.byAccount.fail(keys.byAccount, now);
		let user: Awaited<ReturnType<typeof users.checkPassword>>;
		try {
			user = await users.checkPassword(email, password);
		} finally {
			release();
		}
		if (!user) {
			record(anonymousActor, {
				action: 'login.failure',
				targetType: 'user',
				targetLabel: email,
				address
			});
			return fail(400, { email, message: 'Wrong email or password.' });
		}

		signInBackoff.byAccountAndAddress.clear(keys.byAccountAndAddress);
		// Only this attempt is taken back from the other two: one person's success must not wipe
		// out what others' guesses from elsewhere have counted.
		signInBackoff.byAccount.forgive(keys.byAccount);
		signInBackoff.byAddress.forgive(keys.byAddress);
		// A new session at every sign-in: a token planted before login is worth nothing after.
		const previous = cookies.get(sessions.sessionCookie);
		if (previous) sessions.invalidate(previous);
		const session = sessions.create(user.id);
		setSessionCookie(cookies, url, session.token, session.expiresAt);
		record(
			{ type: 'user', id: user.id, label: user.email },
			{
				action: 'login.success',
				targetType: 'user',
				targetId: user.id,
				targetLabel: user.email,
				address
			}
		);
		redirect(303, redirectTo);
	}
};
