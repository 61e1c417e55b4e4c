import { fail, redirect } from '@sveltejs/kit';
import { parsePilotForm, pilotToFlat } from '$lib/forms/pilot-form';
import { validTimezones } from '$lib/schemas/pilot';
import { contextOf, pilotWithRight } from '$lib/server/auth/access';
import { formRefusal } from '$lib/server/http/refusals';
import * as pilots from '$lib/server/pilots/pilots';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const pilot = pilotWithRight(locals, params.slug, 'own');
	return {
		pilot: { slug: pilot.slug, name: pilot.name },
		initial: pilotToFlat(pilot),
		timezones: validTimezones
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		pilotWithRight(locals, params.slug, 'own');
		const form = parsePilotForm(await request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const updated = pilots.update(params.slug, form.data, contextOf(locals));
		if (!updated.ok) return formRefusal(updated, form.values);
		redirect(303, `/pilots/${updated.value.slug}`);
	}
};
