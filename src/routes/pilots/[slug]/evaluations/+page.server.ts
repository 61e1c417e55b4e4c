import { fail } from '@sveltejs/kit';
import { parseEvaluationCsv } from '$lib/domain/evaluation-csv';
import { evaluationCriteria } from '$lib/domain/evaluation-criteria';
import { missingGovernance } from '$lib/domain/governance';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { evaluationRunSchema } from '$lib/schemas/evaluation';
import { contextOf, pilotWithRight } from '$lib/server/auth/access';
import * as evaluations from '$lib/server/pilots/evaluations';
import * as plans from '$lib/server/pilots/plans';
import { pilotQuality } from '$lib/server/pilots/quality';
import * as reports from '$lib/server/reports/reports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	const state = await plans.readStateById(pilot.id);
	const { summary: quality, minSamples } = await pilotQuality(pilot.id, state?.definition ?? null);
	const latest = quality.runs[0];
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone, stage: pilot.stage },
		minSamples,
		quality,
		failures: latest ? await evaluations.failures(latest.id) : [],
		governance: {
			errorReviewer: pilot.governance.errorReviewer,
			killSwitch: pilot.governance.killSwitch
		},
		governanceMissing: missingGovernance(pilot.governance),
		recommendation: state ? ((await reports.impactReport(state))?.recommendation ?? null) : null
	};
};

/** A whole number from a form field; empty means "not tested". */
function count(value: FormDataEntryValue | null): number | null {
	const text = typeof value === 'string' ? value.trim() : '';
	return text === '' ? null : /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

export const actions: Actions = {
	record: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'ingest');
		const data = await request.formData();
		const values: Record<string, string> = {};
		for (const [key, value] of data) if (typeof value === 'string') values[key] = value;
		const criteria: Record<string, { passed: number; total: number }> = {};
		const errors: Record<string, string[]> = {};
		for (const { key } of evaluationCriteria) {
			const passed = count(data.get(`${key}.passed`));
			const total = count(data.get(`${key}.total`));
			if (passed === null && total === null) continue;
			if (passed === null || total === null || Number.isNaN(passed) || Number.isNaN(total)) {
				errors[`criteria.${key}`] = ['Give both counts as whole numbers, or leave both empty'];
				continue;
			}
			criteria[key] = { passed, total };
		}
		const runAt = values.runAt ? `${values.runAt}T12:00:00Z` : undefined;
		const parsed = evaluationRunSchema.safeParse({ name: values.name ?? '', runAt, criteria });
		if (!parsed.success || Object.keys(errors).length) {
			const all = {
				...errors,
				...(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues))
			};
			return fail(400, { values, errors: all });
		}
		const run = await evaluations.create(pilot, parsed.data, 'form', [], contextOf(locals));
		return { saved: `Recorded “${run.name}”.` };
	},

	upload: async ({ request, params, locals }) => {
		const pilot = await pilotWithRight(locals, params.slug, 'ingest');
		const data = await request.formData();
		const name = String(data.get('name') ?? '').trim();
		const file = data.get('file');
		const values = { uploadName: name };
		if (!name)
			return fail(400, {
				values,
				errors: { uploadName: ['Name the run after what was evaluated'] }
			});
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, {
				values,
				errors: {},
				fileErrors: [{ line: 0, message: 'Choose a CSV file' }]
			});
		}
		if (file.size > 5 * 1024 * 1024) {
			return fail(413, {
				values,
				errors: {},
				fileErrors: [{ line: 0, message: 'The file is larger than 5 MB' }]
			});
		}
		const parsed = parseEvaluationCsv(await file.text());
		if (parsed.errors.length)
			return fail(400, { values, errors: {}, fileErrors: parsed.errors.slice(0, 50) });
		const run = await evaluations.create(
			pilot,
			{ name, criteria: parsed.criteria },
			'file',
			parsed.cases,
			contextOf(locals)
		);
		return { saved: `Recorded “${run.name}” from ${parsed.cases.length} case results.` };
	}
};
