import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { availableTransitions, type StageAction } from '$lib/domain/lifecycle';
import { readinessItemCount } from '$lib/domain/readiness';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { decisionSchema } from '$lib/schemas/decision';
import { stageActionSchema } from '$lib/schemas/pilot';
import { contextOf, can, pilotWithRight, type Right } from '$lib/server/auth/access';
import { membershipRoles } from '$lib/server/db/schema';
import * as decisions from '$lib/server/pilots/decisions';
import * as memberships from '$lib/server/auth/memberships';
import { formRefusal } from '$lib/server/http/refusals';
import * as pilots from '$lib/server/pilots/pilots';
import { pilotCharts } from './pilot-charts.server';
import * as plans from '$lib/server/pilots/plans';
import * as reports from '$lib/server/reports/reports';
import * as users from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

/** Moving the lifecycle is the owner's job; recording the decision is also leadership's. */
const rightFor: Record<StageAction, Right> = {
	'begin-baseline': 'own',
	'start-pilot': 'own',
	'reopen-draft': 'own',
	'record-decision': 'decide'
};

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	const offered = availableTransitions(await pilots.lifecycleFacts(pilot));
	const allowed = await Promise.all(
		offered.map(({ transition }) => can(locals, pilot.id, rightFor[transition.action]))
	);
	const transitions = offered
		.filter((_, i) => allowed[i])
		.map(({ transition, unmet }) => ({
			action: transition.action,
			label: transition.label,
			requires: transition.requires,
			to: transition.to,
			unmet
		}));
	const state = await plans.readStateById(pilot.id);
	const report = state ? await reports.impactReport(state) : null;
	return {
		pilot,
		transitions,
		readinessItemCount,
		members: await memberships.list(pilot.id),
		decisions: await decisions.list(pilot.id),
		report,
		charts: state && report ? await pilotCharts(state, report) : null,
		adoptionKeys: (state?.definition?.metrics ?? []).filter((m) => m.adoption).map((m) => m.key)
	};
};

const memberSchema = z.object({
	email: z.email({ error: 'Enter the email of an existing account' }),
	role: z.enum(membershipRoles, { error: 'Choose owner or member' })
});

export const actions: Actions = {
	stage: async ({ request, params, locals }) => {
		const data = await request.formData();
		const action = stageActionSchema.safeParse({ action: data.get('action') });
		if (!action.success) {
			return fail(400, { values: null, errors: issuesToFieldErrors(action.error.issues) });
		}
		const pilot = await pilotWithRight(locals, params.slug, rightFor[action.data.action]);
		if (action.data.action === 'record-decision') {
			const values = {
				decision: String(data.get('decision') ?? ''),
				rationale: String(data.get('rationale') ?? '')
			};
			const parsed = decisionSchema.safeParse(values);
			if (!parsed.success) {
				return fail(400, { values, errors: issuesToFieldErrors(parsed.error.issues) });
			}
			// The same path as the API: stored with the recommendation and report of the moment.
			const recorded = await decisions.recordDecision(
				(await plans.readStateById(pilot.id))!,
				parsed.data,
				locals.user?.name ?? null,
				contextOf(locals)
			);
			// A rationale too thin for an override is the rationale field's error, shown beside it.
			if (!recorded.ok) return formRefusal(recorded, values, 'action');
		} else {
			const changed = await pilots.changeStage(
				pilot.slug,
				action.data.action,
				null,
				contextOf(locals)
			);
			if (!changed.ok) return formRefusal(changed, null, 'action');
		}
		redirect(303, `/pilots/${params.slug}`);
	},

	setMember: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'own');
		const data = await request.formData();
		const values = {
			email: String(data.get('email') ?? '').trim(),
			role: String(data.get('role') ?? '')
		};
		const parsed = memberSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { member: { values, errors: issuesToFieldErrors(parsed.error.issues) } });
		}
		const user = await users.findByEmail(parsed.data.email);
		if (!user) {
			return fail(400, {
				member: {
					values,
					errors: { email: ['No account has this email. An administrator can create it.'] }
				}
			});
		}
		await memberships.set(pilot, user, parsed.data.role, contextOf(locals));
		return {
			member: {
				values: { email: '', role: 'member' },
				errors: {},
				saved: `${user.name} is now ${parsed.data.role}.`
			}
		};
	},

	removeMember: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'own');
		const userId = Number((await request.formData()).get('userId'));
		const user = Number.isInteger(userId) ? await users.findById(userId) : null;
		if (!user)
			return fail(400, {
				member: { values: { email: '', role: 'member' }, errors: { form: ['Unknown member'] } }
			});
		await memberships.remove(pilot, user, contextOf(locals));
		return {
			member: {
				values: { email: '', role: 'member' },
				errors: {},
				saved: `${user.name} was removed.`
			}
		};
	}
};
