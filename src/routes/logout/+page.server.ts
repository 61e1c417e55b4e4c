import { redirect } from '@sveltejs/kit';
import { actorOf } from '$lib/server/auth/access';
import { record } from '$lib/server/audit/audit';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import * as sessions from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url, locals }) => {
		const token = cookies.get(sessions.sessionCookie);
		if (token) await sessions.invalidate(token);
		clearSessionCookie(cookies, url);
		if (locals.user) {
			await record(actorOf(locals), {
				action: 'logout',
				targetType: 'user',
				targetId: locals.user.id,
				targetLabel: locals.user.email,
				address: locals.request.address
			});
		}
		redirect(303, '/login');
	}
};
