import { fail, redirect } from '@sveltejs/kit';
import { parsePilotForm, type FlatValues } from '$lib/forms/pilot-form';
import { validTimezones } from '$lib/schemas/pilot';
import { contextOf, requireRight } from '$lib/server/auth/access';
import { formRefusal } from '$lib/server/http/refusals';
import * as pilots from '$lib/server/pilots/pilots';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const initial: FlatValues = { timezone: 'Europe/Madrid' };
	return { initial, timezones: validTimezones };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		await requireRight(locals, null, 'read');
		const form = parsePilotForm(await request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		// Whoever creates a pilot owns it until they hand it over.
		const created = await pilots.create(form.data, locals.user?.id ?? null, contextOf(locals));
		if (!created.ok) return formRefusal(created, form.values);
		redirect(303, `/pilots/${created.value.slug}`);
	}
};
