import { baselineSummarySchema } from '$lib/schemas/definition';
import { Answer, actor, invalid, issuesToErrors, jsonBody, pilotFor } from '$lib/server/http/api';
import * as plans from '$lib/server/pilots/plans';
import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = async ({ locals, params, request }) => {
	const state = pilotFor(locals, params.slug, 'own');
	if (state instanceof Answer) return state.response;
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = baselineSummarySchema.safeParse(body);
	if (!parsed.success) {
		return invalid('The baseline summary is not valid.', issuesToErrors(parsed.error.issues));
	}
	const saved = plans.putBaselineSummary(params.slug, params.metricKey, parsed.data, actor(locals));
	if (!saved.ok) return problemResponse(saved.status, saved.detail, { errors: saved.errors });
	return Response.json(plans.definitionView(saved.value).baselineSummaries);
};
