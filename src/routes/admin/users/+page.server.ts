import { fail } from '@sveltejs/kit';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { newApiKeySchema, newUserSchema, userChangeSchema } from '$lib/schemas/access';
import { contextOf, requireRight } from '$lib/server/auth/access';
import * as apiKeys from '$lib/server/auth/api-keys';
import * as sessions from '$lib/server/auth/sessions';
import * as users from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await requireRight(locals, null, 'admin');
	return { users: await users.list(), keys: await apiKeys.list(null), me: locals.user?.id ?? null };
};

export const actions: Actions = {
	createUser: async ({ request, locals }) => {
		await requireRight(locals, null, 'admin');
		const data = await request.formData();
		const values = {
			email: String(data.get('email') ?? '').trim(),
			name: String(data.get('name') ?? ''),
			role: String(data.get('role') ?? 'user')
		};
		const parsed = newUserSchema.safeParse({
			...values,
			password: String(data.get('password') ?? '')
		});
		if (!parsed.success) {
			return fail(400, { user: { values, errors: issuesToFieldErrors(parsed.error.issues) } });
		}
		const created = await users.create(parsed.data, contextOf(locals));
		if (!created) {
			return fail(409, {
				user: { values, errors: { email: ['An account with this email already exists.'] } }
			});
		}
		return {
			user: {
				values: { email: '', name: '', role: 'user' },
				errors: {},
				saved: `Created ${created.email}.`
			}
		};
	},

	changeUser: async ({ request, locals }) => {
		await requireRight(locals, null, 'admin');
		const parsed = userChangeSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { change: 'That change is not valid.' });
		if (parsed.data.userId === locals.user?.id) {
			return fail(409, { change: 'You cannot change your own role or disable yourself.' });
		}
		const updated = await users.update(
			parsed.data.userId,
			{
				role: parsed.data.role,
				disabled: parsed.data.disabled === undefined ? undefined : parsed.data.disabled === 'true'
			},
			contextOf(locals)
		);
		if (!updated) return fail(404, { change: 'No such user.' });
		if (updated.disabled) await sessions.invalidateAllFor(updated.id);
		return { change: `Saved ${updated.email}.` };
	},

	createKey: async ({ request, locals }) => {
		await requireRight(locals, null, 'admin');
		// The same rule as a pilot's keys: 2 to 80 characters.
		const parsed = newApiKeySchema.shape.name.safeParse(
			String((await request.formData()).get('name') ?? '')
		);
		if (!parsed.success) return fail(400, { keyError: parsed.error.issues[0].message });
		const name = parsed.data;
		const created = await apiKeys.create(
			{ name, scopes: ['admin'], pilotId: null, createdBy: locals.user?.id ?? null },
			contextOf(locals)
		);
		return { created: { key: created.key, name } };
	},

	revokeKey: async ({ request, locals }) => {
		await requireRight(locals, null, 'admin');
		const id = Number((await request.formData()).get('id'));
		const key = Number.isInteger(id) ? await apiKeys.find(id) : null;
		if (!key || key.pilotId !== null) return fail(404, { keyError: 'No such admin key.' });
		await apiKeys.revoke(id, contextOf(locals));
		return { revoked: key.prefix };
	}
};
