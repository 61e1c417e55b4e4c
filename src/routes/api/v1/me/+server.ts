import { requireCaller } from '$lib/server/auth/access';
import * as pilots from '$lib/server/pilots/pilots';
import type { RequestHandler } from './$types';

/** Who the caller is: lets a script check its API key before it sends data. */
export const GET: RequestHandler = async ({ locals }) => {
	await requireCaller(locals);
	if (locals.apiKey) {
		const pilot =
			locals.apiKey.pilotId === null ? null : await pilots.readById(locals.apiKey.pilotId);
		return Response.json({
			type: 'api_key',
			prefix: locals.apiKey.prefix,
			name: locals.apiKey.name,
			scopes: locals.apiKey.scopes,
			pilot: pilot ? pilot.slug : null
		});
	}
	const user = locals.user!;
	return Response.json({ type: 'user', email: user.email, name: user.name, role: user.role });
};
