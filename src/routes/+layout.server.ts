import * as alerts from '$lib/server/alerts/alerts';
import { readablePilots } from '$lib/server/alerts/audience';
import type { LayoutServerLoad } from './$types';

/** HTTPS from now on for a year, subdomains included, once a browser has seen it over https. */
const HSTS = 'max-age=31536000; includeSubDomains';

export const load: LayoutServerLoad = async ({ locals, url, setHeaders, untrack }) => {
	// A signed-in page holds someone's data: no shared cache keeps it, and no browser cache
	// shows it again after sign-out (the back button asks the server, which sends to sign-in).
	if (locals.user) setHeaders({ 'cache-control': 'private, no-store' });
	// Read untracked: the scheme never changes between pages, so navigating does not rerun this.
	if (untrack(() => url.protocol) === 'https:') setHeaders({ 'strict-transport-security': HSTS });
	return {
		user: locals.user
			? { name: locals.user.name, email: locals.user.email, role: locals.user.role }
			: null,
		// The header's badge: alerts of the user's pilots not yet seen on /notifications.
		unread: locals.user
			? await alerts.unreadCount(locals.user.id, await readablePilots(locals.user))
			: 0
	};
};
