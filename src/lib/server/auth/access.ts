import { error } from '@sveltejs/kit';
import { anonymousActor, recordDenial, type Actor } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import * as memberships from './memberships';
import * as pilots from '../pilots/pilots';
import type { Pilot } from '../pilots/pilots';

// Who may do what. Every page action and API endpoint asks here before it acts, so access
// is enforced in the server, never only by hiding buttons.
//
// Rights on a pilot: read (see it and its reports), ingest (send events and evaluation
// runs), own (change charter, plan, baseline, keys, members), decide (record decisions),
// admin (everything, user management).
export type Right = 'read' | 'ingest' | 'own' | 'decide' | 'admin';

const everything: ReadonlySet<Right> = new Set(['read', 'ingest', 'own', 'decide', 'admin']);
const nothing: ReadonlySet<Right> = new Set();

/** What a role grants, as data: tune here, nowhere else. */
const grants = {
	leadership: new Set<Right>(['read', 'decide']),
	owner: new Set<Right>(['read', 'ingest', 'own', 'decide']),
	member: new Set<Right>(['read', 'ingest'])
} as const;

export function actorOf(locals: App.Locals): Actor {
	if (locals.user) return { type: 'user', id: locals.user.id, label: locals.user.email };
	if (locals.apiKey)
		return { type: 'api_key', id: locals.apiKey.id, label: `${locals.apiKey.prefix}…` };
	return anonymousActor;
}

/** What a service that writes needs to know of the request: who acts, now, on the app's database. */
export function contextOf(locals: App.Locals): ServiceContext {
	return serviceContext({ actor: actorOf(locals) });
}

/**
 * The caller's rights on one pilot, or on the portfolio as a whole (pilotId null: reading
 * the portfolio is open to every signed-in user, who then sees only the pilots they may read).
 */
export async function rightsOn(
	locals: App.Locals,
	pilotId: number | null,
	db: Db = getDb()
): Promise<ReadonlySet<Right>> {
	const { user, apiKey } = locals;
	if (apiKey) {
		if (apiKey.scopes.includes('admin')) return everything;
		if (pilotId === null || apiKey.pilotId !== pilotId) return nothing;
		return new Set(apiKey.scopes.filter((s): s is 'read' | 'ingest' => s !== 'admin'));
	}
	if (!user) return nothing;
	if (user.role === 'admin') return everything;
	const rights = new Set<Right>(user.role === 'leadership' ? grants.leadership : []);
	if (pilotId === null) return rights.add('read');
	const role = await memberships.roleOf(pilotId, user.id, db);
	if (role) for (const right of grants[role]) rights.add(right);
	return rights;
}

export async function can(
	locals: App.Locals,
	pilotId: number | null,
	right: Right
): Promise<boolean> {
	return (await rightsOn(locals, pilotId)).has(right);
}

/**
 * Throws 401 when nobody is signed in (no valid session or API key) and 403 when the caller
 * lacks the right on the pilot; both are recorded in the audit log.
 */
export async function requireRight(
	locals: App.Locals,
	pilotId: number | null,
	right: Right
): Promise<void> {
	await requireCaller(locals);
	if (await can(locals, pilotId, right)) return;
	await deny(locals, 403, `needs “${right}”`, pilotId);
	error(403, 'You do not have permission to do this.');
}

/** The API answers 401 before 404: an unknown caller learns nothing about which pilots exist. */
export async function requireCaller(locals: App.Locals): Promise<void> {
	if (locals.user || locals.apiKey) return;
	await deny(locals, 401, 'not signed in', null);
	error(401, 'Sign in or send an API key (Authorization: Bearer <key>).');
}

async function deny(
	locals: App.Locals,
	status: 401 | 403,
	why: string,
	pilotId: number | null
): Promise<void> {
	await recordDenial(actorOf(locals), {
		kind: String(status),
		action: 'access.denied',
		targetType: 'route',
		targetLabel: `${locals.request.method} ${locals.request.path}`,
		pilotId,
		detail: `${status}: ${why}`,
		address: locals.request.address
	});
}

/**
 * The pilot behind a route, when the caller has the right on it: 401 for nobody, 404 for
 * an unknown slug, 403 for a pilot the caller may not act on this way.
 */
export async function pilotWithRight(
	locals: App.Locals,
	slug: string,
	right: Right
): Promise<Pilot> {
	await requireCaller(locals);
	const pilot = await pilots.read(slug);
	if (!pilot) error(404, `There is no pilot “${slug}”.`);
	await requireRight(locals, pilot.id, right);
	return pilot;
}
