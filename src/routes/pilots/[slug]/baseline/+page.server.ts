import { fail } from '@sveltejs/kit';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { baselineSummarySchema } from '$lib/schemas/definition';
import { contextOf, pilotWithRight } from '$lib/server/auth/access';
import { baselineStatus } from '$lib/server/pilots/baseline';
import * as plans from '$lib/server/pilots/plans';
import { planPage } from '../plan-page.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const { state, header, hasPlan, lockedAt } = await planPage(locals, params.slug);
	return { pilot: header, hasPlan, lockedAt, metrics: await baselineStatus(state) };
};

const number = (value: FormDataEntryValue | null): number | undefined => {
	const text = String(value ?? '').trim();
	return text === '' ? undefined : Number(text.replace(',', '.'));
};

export const actions: Actions = {
	summary: async ({ request, params, locals }) => {
		await pilotWithRight(locals, params.slug, 'own');
		const data = await request.formData();
		const metricKey = String(data.get('metricKey') ?? '');
		const values = {
			metricKey,
			n: String(data.get('n') ?? ''),
			mean: String(data.get('mean') ?? ''),
			sd: String(data.get('sd') ?? ''),
			successes: String(data.get('successes') ?? ''),
			source: String(data.get('source') ?? ''),
			reason: String(data.get('reason') ?? '')
		};
		const reason = values.reason.trim();
		const input = {
			n: number(data.get('n')),
			...(data.has('successes')
				? { successes: number(data.get('successes')) }
				: { mean: number(data.get('mean')), sd: number(data.get('sd')) }),
			source: values.source,
			...(reason ? { amendment: { reason } } : {})
		};
		const parsed = baselineSummarySchema.safeParse(input);
		if (!parsed.success) {
			return fail(400, { values, errors: issuesToFieldErrors(parsed.error.issues) });
		}
		const saved = await plans.putBaselineSummary(
			params.slug,
			metricKey,
			parsed.data,
			contextOf(locals)
		);
		if (!saved.ok) {
			return fail(saved.status, {
				values,
				errors: {
					[saved.status === 409 ? 'reason' : 'form']: [
						saved.status === 409
							? 'The baseline is locked since the pilot started: say why it changes. The reason is shown on every report.'
							: saved.detail
					]
				}
			});
		}
		return { saved: metricKey };
	}
};
