import { fail } from '@sveltejs/kit';
import { alertTypes, type AlertType } from '$lib/domain/alerts';
import * as alerts from '$lib/server/alerts/alerts';
import { readablePilots } from '$lib/server/alerts/audience';
import * as pilots from '$lib/server/pilots/pilots';
import type { Actions, PageServerLoad } from './$types';

/** The alerts of the pilots the user may read, newest first, and what the user left out. */
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	const readable = await readablePilots(user);
	return {
		alerts: await alerts.listFor(user.id, readable),
		settings: await alerts.settingsOf(user.id),
		alertTypes,
		pilots: (await pilots.list())
			.filter((p) => readable === null || readable.includes(p.id))
			.map((p) => ({ id: p.id, name: p.name }))
	};
};

export const actions: Actions = {
	markRead: async ({ locals }) => {
		await alerts.markAllRead(locals.user!.id);
		return { marked: true };
	},

	/** The form lists what to show; what is unticked is left out. */
	settings: async ({ locals, request }) => {
		const data = await request.formData();
		const shownTypes = new Set(data.getAll('types').map(String));
		const shownPilots = new Set(data.getAll('pilots').map(Number));
		if ([...shownTypes].some((t) => !(alertTypes as readonly string[]).includes(t))) {
			return fail(400, { settingsError: 'Unknown alert type.' });
		}
		const user = locals.user!;
		const readable = await readablePilots(user);
		const known = (await pilots.list())
			.filter((p) => readable === null || readable.includes(p.id))
			.map((p) => p.id);
		await alerts.saveSettings(user.id, {
			mutedTypes: alertTypes.filter((t): t is AlertType => !shownTypes.has(t)),
			mutedPilots: known.filter((id) => !shownPilots.has(id))
		});
		return { saved: true };
	}
};
