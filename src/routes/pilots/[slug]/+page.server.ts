import { error, fail, redirect } from '@sveltejs/kit';
import { availableTransitions } from '$lib/domain/lifecycle';
import { readinessItemCount } from '$lib/domain/readiness';
import { issuesToFieldErrors } from '$lib/forms/pilot-form';
import { decisionFormSchema } from '$lib/schemas/decision';
import { stageActionSchema } from '$lib/schemas/pilot';
import * as pilots from '$lib/server/pilots';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const pilot = pilots.read(params.slug);
	if (!pilot) error(404, `There is no pilot “${params.slug}”. It may have been removed.`);
	const transitions = availableTransitions(pilots.lifecycleFacts(pilot)).map(
		({ transition, unmet }) => ({
			action: transition.action,
			label: transition.label,
			requires: transition.requires,
			to: transition.to,
			unmet
		})
	);
	return { pilot, transitions, readinessItemCount };
};

export const actions: Actions = {
	stage: async ({ request, params }) => {
		const data = await request.formData();
		const action = stageActionSchema.safeParse({ action: data.get('action') });
		if (!action.success)
			return fail(400, { values: null, errors: issuesToFieldErrors(action.error.issues) });
		let decision = null;
		if (action.data.action === 'record-decision') {
			const values = {
				decision: String(data.get('decision') ?? ''),
				rationale: String(data.get('rationale') ?? '')
			};
			const parsed = decisionFormSchema.safeParse(values);
			if (!parsed.success) {
				return fail(400, { values, errors: issuesToFieldErrors(parsed.error.issues) });
			}
			decision = parsed.data;
		}
		const changed = pilots.changeStage(params.slug, action.data.action, decision);
		if (!changed.ok) {
			if (changed.status === 404) error(404, `There is no pilot “${params.slug}”.`);
			return fail(changed.status, { values: null, errors: changed.errors });
		}
		redirect(303, `/pilots/${params.slug}`);
	}
};
