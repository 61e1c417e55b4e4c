import { fail, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { record } from '$lib/server/audit';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { loginFailuresByAccount, loginFailuresByAddress } from '$lib/server/auth/rate-limit';
import { demoAccounts } from '$lib/server/demo-portfolio';
import * as sessions from '$lib/server/sessions';
import * as users from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

/** Only paths on this site: never an open redirect to another host. */
function safeTarget(value: string | null): string {
	return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
		? value
		: '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeTarget(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	const demo =
		env.SEED_DEMO !== 'false' && users.findByEmail(demoAccounts[0].email)
			? demoAccounts.map(({ email, password, role, label }) => ({
					email,
					password,
					role: label ?? role
				}))
			: [];
	return { redirectTo, demo };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, locals, setHeaders }) => {
		const data = await request.formData();
		const email = String(data.get('email') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const redirectTo = safeTarget(String(data.get('redirectTo') ?? '/'));
		if (!email || !password) {
			return fail(400, { email, message: 'Enter your email and password.' });
		}

		const now = Date.now();
		const accountKey = email.toLowerCase();
		const address = locals.request.address ?? 'unknown';
		const wait = Math.max(
			loginFailuresByAccount.retryAfter(accountKey, now),
			loginFailuresByAddress.retryAfter(address, now)
		);
		if (wait > 0) {
			record(
				{ type: 'anonymous', id: null, label: 'anonymous' },
				{
					action: 'login.throttled',
					targetType: 'user',
					targetLabel: email,
					detail: `retry after ${wait} s`,
					address
				}
			);
			setHeaders({ 'retry-after': String(wait) });
			return fail(429, {
				email,
				message: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`
			});
		}

		const user = await users.checkPassword(email, password);
		if (!user) {
			loginFailuresByAccount.fail(accountKey, now);
			loginFailuresByAddress.fail(address, now);
			record(
				{ type: 'anonymous', id: null, label: 'anonymous' },
				{ action: 'login.failure', targetType: 'user', targetLabel: email, address }
			);
			return fail(400, { email, message: 'Wrong email or password.' });
		}

		loginFailuresByAccount.clear(accountKey);
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
