import { fail, redirect } from '@sveltejs/kit';
import { parsePilotForm, parseSilentDays, pilotToFlat } from '$lib/forms/pilot-form';
import { validTimezones } from '$lib/schemas/pilot';
import { contextOf, pilotWithRight } from '$lib/server/auth/access';
import { formRefusal } from '$lib/server/http/refusals';
import * as pilots from '$lib/server/pilots/pilots';
import * as plans from '$lib/server/pilots/plans';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'own');
	return {
		pilot: { slug: pilot.slug, name: pilot.name },
		initial: pilotToFlat(pilot),
		silentDays: String((await plans.readStateById(pilot.id))?.silentDays ?? ''),
		timezones: validTimezones
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		await pilotWithRight(locals, params.slug, 'own');
		const data = await request.formData();
		const form = parsePilotForm(data);
		// A form without the field (posted by a script of before) leaves the number as it is.
		const silentDays = data.has('silentDays')
			? parseSilentDays(data.get('silentDays'))
			: ({ ok: true, value: null } as const);
		const silentDaysText = String(data.get('silentDays') ?? '');
		// Every field is checked before anything is written.
		if (!form.ok || !silentDays.ok) {
			return fail(400, {
				values: form.values,
				silentDays: silentDaysText,
				errors: {
					...(form.ok ? {} : form.errors),
					...(silentDays.ok ? {} : { silentDays: [silentDays.error] })
				}
			});
		}
		const context = contextOf(locals);
		const updated = await pilots.update(params.slug, form.data, context);
		if (!updated.ok) {
			const refused = formRefusal(updated, form.values);
			return fail(refused.status, { ...refused.data, silentDays: silentDaysText });
		}
		if (silentDays.value !== null)
			await plans.setSilentDays(updated.value.slug, silentDays.value, context);
		redirect(303, `/pilots/${updated.value.slug}`);
	}
};
