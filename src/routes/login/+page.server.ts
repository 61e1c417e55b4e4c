import { fail, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { record } from '$lib/server/audit/audit';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { sameSitePath } from '$lib/server/auth/redirect-target';
import { attemptSignIn } from '$lib/server/auth/sign-in';
import { demoAccounts } from '$lib/server/demo/demo-portfolio';
import * as sessions from '$lib/server/auth/sessions';
import * as users from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const redirectTo = sameSitePath(url.searchParams.get('redirectTo'), url.origin);
	if (locals.user) redirect(303, redirectTo);
	// Which demo accounts exist, never their passwords: those are printed once at start-up.
	const demo =
		env.SEED_DEMO !== 'false' && (await users.findByEmail(demoAccounts[0].email))
			? demoAccounts.map(({ email, role, label }) => ({ email, role: label ?? role }))
			: [];
	return { redirectTo, demo };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, locals, setHeaders }) => {
		let data: FormData;
		try {
			data = await request.formData();
		} catch {
			// a body that is not the form it claims to be (broken multipart…)
			return fail(400, { email: '', message: 'Enter your email and password.' });
		}
		const email = String(data.get('email') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const redirectTo = sameSitePath(String(data.get('redirectTo') ?? '/'), url.origin);
		if (!email || !password) {
			return fail(400, { email, message: 'Enter your email and password.' });
		}

		const address = locals.request.address;
		const attempt = await attemptSignIn(email, password, address);
		if (!attempt.ok) {
			if (attempt.status === 429) setHeaders({ 'retry-after': String(attempt.retryAfter) });
			return fail(attempt.status, { email, message: attempt.message });
		}
		const { user } = attempt;

		// A new session at every sign-in: a token planted before login is worth nothing after.
		const previous = cookies.get(sessions.sessionCookie);
		if (previous) await sessions.invalidate(previous);
		const session = await sessions.create(user.id);
		setSessionCookie(cookies, url, session.token, session.expiresAt);
		await record(
			{ type: 'user', id: user.id, label: user.email },
			{
				action: 'login.success',
				targetType: 'user',
				targetId: user.id,
				targetLabel: user.email,
				address: address ?? 'unknown'
			}
		);
		redirect(303, redirectTo);
	}
};
