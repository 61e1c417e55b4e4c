import { fail } from '@sveltejs/kit';
import { alertTypes } from '$lib/domain/alerts';
import { webhookInputSchema } from '$lib/schemas/webhook';
import { contextOf, requireRight } from '$lib/server/auth/access';
import { managedPilots } from '$lib/server/alerts/audience';
import { currentSettings } from '$lib/server/alerts/scheduler';
import * as webhooks from '$lib/server/alerts/webhooks';
import * as pilots from '$lib/server/pilots/pilots';
import type { Actions, PageServerLoad } from './$types';

// Webhook endpoints for the pilots one manages (owners) or all (admins): register, see the
// delivery log, send a test, delete.

export const load: PageServerLoad = async ({ locals }) => {
	const managed = await managedPilots(locals);
	const hooks = await Promise.all(
		(await webhooks.list(managed)).map(async (hook) => ({
			...hook,
			deliveries: await webhooks.deliveries(hook.id, 10)
		}))
	);
	const choices = (await pilots.list())
		.filter((p) => managed === null || managed.includes(p.id))
		.map((p) => ({ slug: p.slug, name: p.name }));
	return { hooks, pilots: choices, companyWide: managed === null, alertTypes };
};

/** The id of a webhook the caller manages, from the form; `null` otherwise. */
async function managedId(
	locals: App.Locals,
	value: FormDataEntryValue | null
): Promise<number | null> {
	const id = Number(value);
	if (!Number.isInteger(id) || id <= 0) return null;
	const scope = await webhooks.scopeOf(id);
	const managed = await managedPilots(locals);
	if (!scope) return null;
	if (managed === null) return id;
	return scope.pilotId !== null && managed.includes(scope.pilotId) ? id : null;
}

export const actions: Actions = {
	create: async ({ request, locals }) => {
		if ((await managedPilots(locals))?.length === 0) await requireRight(locals, null, 'admin');
		const data = await request.formData();
		const values = {
			url: String(data.get('url') ?? '').trim(),
			events: data.getAll('events').map(String),
			pilot: String(data.get('pilot') ?? ''),
			format: String(data.get('format') ?? 'json')
		};
		const parsed = webhookInputSchema.safeParse({
			...values,
			pilot: values.pilot === '' ? undefined : values.pilot
		});
		if (!parsed.success) {
			return fail(400, { values, error: parsed.error.issues.map((i) => i.message).join('; ') });
		}
		let pilot: { id: number; slug: string } | null = null;
		if (parsed.data.pilot) {
			pilot = await pilots.read(parsed.data.pilot);
			if (!pilot) return fail(400, { values, error: 'Choose one of the pilots listed.' });
			await requireRight(locals, pilot.id, 'own');
		} else {
			await requireRight(locals, null, 'admin');
		}
		const created = await webhooks.create(parsed.data, pilot, contextOf(locals));
		return { created: { id: created.id, url: created.url, secret: created.secret } };
	},

	remove: async ({ request, locals }) => {
		const id = await managedId(locals, (await request.formData()).get('id'));
		if (id === null || !(await webhooks.remove(id, contextOf(locals)))) {
			return fail(404, { error: 'No such webhook.' });
		}
		return { removed: true };
	},

	test: async ({ request, locals }) => {
		const id = await managedId(locals, (await request.formData()).get('id'));
		const delivery =
			id === null ? null : await webhooks.sendTest(id, currentSettings().origin, contextOf(locals));
		if (delivery === null) return fail(404, { error: 'No such webhook.' });
		return { tested: delivery };
	}
};
