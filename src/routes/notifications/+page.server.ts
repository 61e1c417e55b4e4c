import * as alerts from '$lib/server/alerts/alerts';
import { readablePilots } from '$lib/server/alerts/audience';
import type { Actions, PageServerLoad } from './$types';

/** The alerts of the pilots the user may read, newest first. */
export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	return { alerts: alerts.listFor(user.id, readablePilots(user)) };
};

export const actions: Actions = {
	markRead: ({ locals }) => {
		alerts.markAllRead(locals.user!.id);
		return { marked: true };
	}
};
