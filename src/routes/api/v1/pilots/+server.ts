import { can, contextOf, requireCaller, requireRight } from '$lib/server/auth/access';
import { parseDefinition } from '$lib/server/pilots/definition-input';
import * as plans from '$lib/server/pilots/plans';
import { portfolio } from '$lib/server/reports/portfolio';
import { refuse, valueOf } from '$lib/server/http/refusals';
import { jsonBody } from '$lib/server/http/api';
import type { RequestHandler } from './$types';

/** Every pilot the caller may read, with its headline numbers. */
export const GET: RequestHandler = async ({ locals }) => {
	await requireCaller(locals);
	return Response.json({ pilots: await portfolio((pilotId) => can(locals, pilotId, 'read')) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	await requireCaller(locals);
	await requireRight(locals, null, 'admin');
	const parsed = parseDefinition(await jsonBody(request));
	if (!parsed.ok) refuse(422, 'The pilot definition is not valid.', parsed.errors);
	const created = valueOf(await plans.create(parsed.value, contextOf(locals)));
	return Response.json(plans.definitionView(created), {
		status: 201,
		headers: { location: `/api/v1/pilots/${created.pilot.slug}` }
	});
};
