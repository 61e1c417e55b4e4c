import { fail } from '@sveltejs/kit';
import { emptyMetricRow, parsePlanForm, planToValues, valuesFromForm } from '$lib/forms/plan-form';
import { amendmentSchema } from '$lib/schemas/definition';
import { contextOf, pilotWithRight } from '$lib/server/auth/access';
import * as plans from '$lib/server/pilots/plans';
import { planPage } from '../plan-page.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const { pilot, state, header, hasPlan, lockedAt } = await planPage(locals, params.slug);
	return {
		pilot: { ...header, stage: pilot.stage, pilotDays: pilot.pilotDays },
		hasPlan,
		version: state.version,
		lockedAt,
		amendments: state.amendments,
		values: planToValues(state.stored)
	};
};

export const actions: Actions = {
	/** Without JavaScript, "Add a metric" comes here: the form back, unsaved, with a blank row. */
	addMetric: async ({ request, params, locals }) => {
		await pilotWithRight(locals, params.slug, 'own');
		const values = valuesFromForm(await request.formData());
		return { values: { ...values, metrics: [...values.metrics, emptyMetricRow()] } };
	},
	save: async ({ request, params, locals }) => {
		await pilotWithRight(locals, params.slug, 'own');
		const values = valuesFromForm(await request.formData());
		const parsed = parsePlanForm(values);
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		const state = (await plans.readState(params.slug))!;
		let reason: string | null = null;
		if (state.lockedAt !== null && values.reason !== '') {
			const amendment = amendmentSchema.safeParse({ reason: values.reason });
			if (!amendment.success) {
				return fail(400, {
					values,
					errors: { 'amendment.reason': amendment.error.issues.map((i) => i.message) }
				});
			}
			reason = amendment.data.reason;
		}
		const saved = await plans.replacePlan(params.slug, parsed.plan, reason, contextOf(locals));
		if (!saved.ok) {
			return fail(saved.status === 404 ? 404 : 409, {
				values,
				errors: {
					'amendment.reason': [
						'The plan is locked since the pilot started: say why it changes. The reason is shown on every report.'
					]
				}
			});
		}
		return { saved: true };
	}
};
