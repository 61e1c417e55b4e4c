import { fail, redirect } from '@sveltejs/kit';
import { parsePilotForm, type FlatValues } from '$lib/forms/pilot-form';
import { validTimezones } from '$lib/schemas/pilot';
import * as pilots from '$lib/server/pilots';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const initial: FlatValues = { timezone: 'Europe/Madrid' };
	return { initial, timezones: validTimezones };
};

export const actions: Actions = {
	default: async ({ request }) => {
		const form = parsePilotForm(await request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const created = pilots.create(form.data);
		if (!created.ok) return fail(created.status, { values: form.values, errors: created.errors });
		redirect(303, `/pilots/${created.value.slug}`);
	}
};
