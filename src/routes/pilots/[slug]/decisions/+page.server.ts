import { pilotWithRight } from '$lib/server/auth/access';
import * as decisions from '$lib/server/pilots/decisions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	return {
		pilot: { slug: pilot.slug, name: pilot.name, stage: pilot.stage, timezone: pilot.timezone },
		decisions: await decisions.list(pilot.id)
	};
};
