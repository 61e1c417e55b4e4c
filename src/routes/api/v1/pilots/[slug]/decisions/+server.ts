import { decisionSchema } from '$lib/schemas/decision';
import { actorOf } from '$lib/server/auth/access';
import { Answer, actor, invalid, issuesToErrors, jsonBody, pilotFor } from '$lib/server/http/api';
import { recordDecision } from '$lib/server/pilots/decisions';
import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const state = pilotFor(locals, params.slug, 'decide');
	if (state instanceof Answer) return state.response;
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = decisionSchema.safeParse(body);
	if (!parsed.success) {
		return invalid('The decision is not valid.', issuesToErrors(parsed.error.issues));
	}
	const recorded = recordDecision(state, parsed.data, actor(locals), actorOf(locals));
	if (!recorded.ok) {
		return problemResponse(recorded.status, recorded.detail, { errors: recorded.errors });
	}
	return Response.json(recorded.value, { status: 201 });
};
