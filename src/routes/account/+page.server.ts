import { fail } from '@sveltejs/kit';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { passwordChangeSchema } from '$lib/schemas/access';
import { contextOf } from '$lib/server/auth/access';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { signInBackoff } from '$lib/server/auth/rate-limit';
import * as sessions from '$lib/server/auth/sessions';
import * as users from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

// The signed-in user's own account: who they are, and changing their password.

export const load: PageServerLoad = ({ locals }) => ({
	account: locals.user && {
		name: locals.user.name,
		email: locals.user.email,
		role: locals.user.role
	}
});

export const actions: Actions = {
	password: async ({ request, locals, cookies, url, setHeaders }) => {
		const user = locals.user;
		if (!user) return fail(401, { errors: { current: ['Sign in first.'] } });
		const data = await request.formData();
		const parsed = passwordChangeSchema.safeParse({
			current: String(data.get('current') ?? ''),
			next: String(data.get('next') ?? ''),
			confirm: String(data.get('confirm') ?? '')
		});
		// Passwords are never echoed back into the form.
		if (!parsed.success) return fail(400, { errors: issuesToFieldErrors(parsed.error.issues) });
		// Guessing the current password here counts as failed sign-ins of the account.
		const accountKey = user.email.toLowerCase();
		const wait = signInBackoff.byAccount.retryAfter(accountKey, Date.now());
		if (wait > 0) {
			setHeaders({ 'retry-after': String(wait) });
			return fail(429, {
				errors: { current: [`Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} min.`] }
			});
		}
		if (!(await users.checkPassword(user.email, parsed.data.current))) {
			signInBackoff.byAccount.fail(accountKey, Date.now());
			return fail(400, { errors: { current: ['This is not your current password.'] } });
		}
		await users.changePassword(user.id, parsed.data.next, contextOf(locals));
		// Every other session of the account ends; this one goes on under a new token.
		await sessions.invalidateAllFor(user.id);
		const session = await sessions.create(user.id);
		setSessionCookie(cookies, url, session.token, session.expiresAt);
		return { changed: true };
	}
};
