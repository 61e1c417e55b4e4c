import { can, requireCaller } from '../auth/access';
import * as memberships from '../auth/memberships';
import { getDb, type Db } from '../db';

// Who sees which alerts and manages which webhooks. Admins (users or admin keys): every pilot
// and company-wide webhooks. Owners: their pilots' webhooks. Readers: their pilots' alerts.

/** The pilots whose webhooks the caller manages; `null` for all (admins). */
export async function managedPilots(
	locals: App.Locals,
	db: Db = getDb()
): Promise<number[] | null> {
	await requireCaller(locals);
	if (await can(locals, null, 'admin')) return null;
	if (!locals.user) return [];
	return [...(await memberships.pilotsOf(locals.user.id, db))]
		.filter(([, role]) => role === 'owner')
		.map(([pilotId]) => pilotId);
}

/** The pilots whose alerts a signed-in user sees; `null` for all (admins, leadership). */
export async function readablePilots(
	user: NonNullable<App.Locals['user']>,
	db: Db = getDb()
): Promise<number[] | null> {
	if (user.role === 'admin' || user.role === 'leadership') return null;
	return [...(await memberships.pilotsOf(user.id, db)).keys()];
}
