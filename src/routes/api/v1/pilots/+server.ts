import { Answer, invalid, jsonBody } from '$lib/server/http/api';
import { actorOf, can, requireCaller, requireRight } from '$lib/server/auth/access';
import { parseDefinition } from '$lib/server/pilots/definition-input';
import * as plans from '$lib/server/pilots/plans';
import { portfolio } from '$lib/server/reports/portfolio';
import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';

/** Every pilot the caller may read, with its headline numbers. */
export const GET: RequestHandler = ({ locals }) => {
	requireCaller(locals);
	return Response.json({ pilots: portfolio((pilotId) => can(locals, pilotId, 'read')) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	requireCaller(locals);
	requireRight(locals, null, 'admin');
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = parseDefinition(body);
	if (!parsed.ok) return invalid('The pilot definition is not valid.', parsed.errors);
	const created = plans.create(parsed.value, new Date(), undefined, actorOf(locals));
	if (!created.ok) {
		return problemResponse(created.status, created.detail, { errors: created.errors });
	}
	return Response.json(plans.definitionView(created.value), {
		status: 201,
		headers: { location: `/api/v1/pilots/${created.value.pilot.slug}` }
	});
};
