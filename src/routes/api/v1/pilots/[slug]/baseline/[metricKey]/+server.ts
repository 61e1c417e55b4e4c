import { baselineSummarySchema } from '$lib/schemas/definition';
import { contextOf } from '$lib/server/auth/access';
import { bodyOf, pilotFor } from '$lib/server/http/api';
import { valueOf } from '$lib/server/http/refusals';
import * as plans from '$lib/server/pilots/plans';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = async ({ locals, params, request }) => {
	await pilotFor(locals, params.slug, 'own');
	const input = await bodyOf(request, baselineSummarySchema, 'The baseline summary');
	const saved = await plans.putBaselineSummary(
		params.slug,
		params.metricKey,
		input,
		contextOf(locals)
	);
	return Response.json(plans.definitionView(valueOf(saved)).baselineSummaries);
};
