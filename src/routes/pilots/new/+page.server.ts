import { fail, redirect } from '@sveltejs/kit';
import { parsePilotForm, type FlatValues } from '$lib/forms/pilot-form';
import { validTimezones } from '$lib/schemas/pilot';
import { actorOf, requireRight } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import * as pilots from '$lib/server/pilots/pilots';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const initial: FlatValues = { timezone: 'Europe/Madrid' };
	return { initial, timezones: validTimezones };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		requireRight(locals, null, 'read');
		const form = parsePilotForm(await request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		// Whoever creates a pilot owns it until they hand it over.
		const created = pilots.create(
			form.data,
			new Date(),
			getDb(),
			actorOf(locals),
			locals.user?.id ?? null
		);
		if (!created.ok) return fail(created.status, { values: form.values, errors: created.errors });
		redirect(303, `/pilots/${created.value.slug}`);
	}
};
