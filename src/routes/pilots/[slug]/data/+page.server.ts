import { fail } from '@sveltejs/kit';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { planMeasures } from '$lib/metrics';
import { newApiKeySchema } from '$lib/schemas/access';
import { importProfileSchema } from '$lib/schemas/import-mapping';
import { contextOf, can, pilotWithRight } from '$lib/server/auth/access';
import * as apiKeys from '$lib/server/auth/api-keys';
import * as importProfiles from '$lib/server/ingest/import-profiles';
import * as plans from '$lib/server/pilots/plans';
import type { Actions, PageServerLoad } from './$types';

// The pilot's data: importing tool exports (members and owners add data) and, for owners,
// the API keys systems send events with.

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'ingest');
	const canOwn = await can(locals, pilot.id, 'own');
	const plan = (await plans.readStateById(pilot.id))?.definition ?? null;
	const measures = plan ? planMeasures(plan) : null;
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone },
		canOwn,
		keys: canOwn ? await apiKeys.list(pilot.id) : [],
		hasPlan: plan !== null,
		measures: measures
			? [...measures.known].sort().map((name) => ({ name, binary: measures.binary.has(name) }))
			: [],
		profiles: await importProfiles.list(pilot.id)
	};
};

export const actions: Actions = {
	createKey: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'own');
		const data = await request.formData();
		const values = { name: String(data.get('name') ?? ''), scopes: data.getAll('scopes').map(String) };
		const parsed = newApiKeySchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: issuesToFieldErrors(parsed.error.issues) });
		const created = await apiKeys.create(
			{ ...parsed.data, pilotId: pilot.id, createdBy: locals.user?.id ?? null },
			contextOf(locals)
		);
		// The key is shown this once; only its hash is stored.
		return { created: { key: created.key, name: created.summary.name } };
	},

	revokeKey: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'own');
		const id = Number((await request.formData()).get('id'));
		const key = Number.isInteger(id) ? await apiKeys.find(id) : null;
		if (!key || key.pilotId !== pilot.id) {
			return fail(404, { values: null, errors: { form: ['This key does not belong to this pilot.'] } });
		}
		await apiKeys.revoke(id, contextOf(locals));
		return { revoked: key.prefix };
	},

	saveProfile: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'ingest');
		const data = await request.formData();
		const name = String(data.get('profileName') ?? '');
		let mapping: unknown;
		try {
			mapping = JSON.parse(String(data.get('mapping') ?? ''));
		} catch {
			mapping = null;
		}
		const parsed = importProfileSchema.safeParse({ name, mapping });
		if (!parsed.success) {
			const profileErrors: Record<string, string[]> = {};
			for (const issue of parsed.error.issues) {
				const [head, ...rest] = issue.path.map(String);
				const field = head === 'name' ? 'profileName' : 'mapping';
				const where = rest.length ? `${rest.join('.')}: ` : '';
				(profileErrors[field] ??= []).push(`${where}${issue.message}`);
			}
			return fail(400, { profileErrors });
		}
		const saved = await importProfiles.save(pilot.id, parsed.data, contextOf(locals));
		return { profileSaved: saved.name };
	},

	deleteProfile: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'ingest');
		const id = Number((await request.formData()).get('id'));
		if (!Number.isInteger(id) || !await importProfiles.remove(pilot.id, id, contextOf(locals))) {
			return fail(404, { profileErrors: { form: ['This profile does not belong to this pilot.'] } });
		}
		return { profileDeleted: id };
	}
};
