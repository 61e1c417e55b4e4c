import { can, pilotWithRight } from '$lib/server/auth/access';
import type { LayoutServerLoad } from './$types';

// Every page of a pilot shares its header and tabs, and the first check: the caller may read
// the pilot (404 or 403 otherwise). Pages that need more (own, ingest) check that themselves,
// as do form actions, which layouts do not guard.
export const load: LayoutServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	return {
		header: { slug: pilot.slug, name: pilot.name, stage: pilot.stage },
		canOwn: await can(locals, pilot.id, 'own'),
		canIngest: await can(locals, pilot.id, 'ingest')
	};
};
