import { error } from '@sveltejs/kit';
import { pilotWithRight } from '$lib/server/auth/access';
import * as decisions from '$lib/server/pilots/decisions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	const id = /^\d{1,15}$/.test(params.id) ? Number(params.id) : null;
	const decision = id === null ? null : await decisions.read(pilot.id, id);
	if (!decision) error(404, `This pilot has no decision ${params.id}.`);
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone },
		decision
	};
};
