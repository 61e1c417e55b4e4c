import { can, pilotWithRight } from '$lib/server/access';
import * as audit from '$lib/server/audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const pilot = pilotWithRight(locals, params.slug, 'read');
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone },
		canOwn: can(locals, pilot.id, 'own'),
		canIngest: can(locals, pilot.id, 'ingest'),
		entries: audit.list({ pilotId: pilot.id, limit: 200 })
	};
};
