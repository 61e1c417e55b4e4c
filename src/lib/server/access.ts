import { error } from '@sveltejs/kit';

// Who may do what. Every page action and API endpoint asks here before it acts, so access
// is enforced in the server, never only by hiding buttons.
//
// Rights on a pilot: read (see it and its reports), ingest (send events and evaluation
// runs), own (change charter, plan, baseline, keys, members), decide (record decisions),
// admin (everything, user management).
export type Right = 'read' | 'ingest' | 'own' | 'decide' | 'admin';

/**
 * Throws 401 when nobody is signed in (no valid session or API key) and 403 when the caller
 * lacks the right on the pilot (pilotId null = an action on the whole portfolio).
 */
export function requireRight(locals: App.Locals, pilotId: number | null, right: Right): void {
	// User accounts, roles and API keys arrive with access control; until then the app is
	// open to everyone on the network it is served on.
	void locals;
	void pilotId;
	void right;
}

/** The API answers 401 before 404: an unknown caller learns nothing about which pilots exist. */
export function requireCaller(locals: App.Locals): void {
	void locals;
	if (false as boolean) error(401, 'Sign in or send an API key');
}
