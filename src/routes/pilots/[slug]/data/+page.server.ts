import { fail } from '@sveltejs/kit';
import { issuesToFieldErrors } from '$lib/forms/pilot-form';
import { newApiKeySchema } from '$lib/schemas/access';
import { actorOf, pilotWithRight } from '$lib/server/access';
import * as apiKeys from '$lib/server/api-keys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const pilot = pilotWithRight(locals, params.slug, 'own');
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone },
		canOwn: true,
		keys: apiKeys.list(pilot.id)
	};
};

export const actions: Actions = {
	createKey: async ({ request, params, locals }) => {
		const pilot = pilotWithRight(locals, params.slug, 'own');
		const data = await request.formData();
		const values = { name: String(data.get('name') ?? ''), scopes: data.getAll('scopes').map(String) };
		const parsed = newApiKeySchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: issuesToFieldErrors(parsed.error.issues) });
		const created = apiKeys.create(
			{ ...parsed.data, pilotId: pilot.id, createdBy: locals.user?.id ?? null },
			actorOf(locals)
		);
		// The key is shown this once; only its hash is stored.
		return { created: { key: created.key, name: created.summary.name } };
	},

	revokeKey: async ({ request, params, locals }) => {
		const pilot = pilotWithRight(locals, params.slug, 'own');
		const id = Number((await request.formData()).get('id'));
		const key = Number.isInteger(id) ? apiKeys.find(id) : null;
		if (!key || key.pilotId !== pilot.id) {
			return fail(404, { values: null, errors: { form: ['This key does not belong to this pilot.'] } });
		}
		apiKeys.revoke(id, actorOf(locals));
		return { revoked: key.prefix };
	}
};
