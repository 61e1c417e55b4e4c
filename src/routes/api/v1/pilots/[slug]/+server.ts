import { pilotSettingsSchema } from '$lib/schemas/definition';
import { actorOf } from '$lib/server/auth/access';
import { Answer, actor, invalid, issuesToErrors, jsonBody, pilotFor } from '$lib/server/http/api';
import { parseDefinition } from '$lib/server/pilots/definition-input';
import * as plans from '$lib/server/pilots/plans';
import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, params }) => {
	const state = pilotFor(locals, params.slug, 'read');
	if (state instanceof Answer) return state.response;
	return Response.json(plans.definitionView(state));
};

export const PUT: RequestHandler = async ({ locals, params, request }) => {
	const state = pilotFor(locals, params.slug, 'own');
	if (state instanceof Answer) return state.response;
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = parseDefinition(body);
	if (!parsed.ok) return invalid('The pilot definition is not valid.', parsed.errors);
	const saved = plans.replace(params.slug, parsed.value, actor(locals));
	if (!saved.ok) return problemResponse(saved.status, saved.detail, { errors: saved.errors });
	return Response.json(plans.definitionView(saved.value));
};

/** The pilot's settings that change without replacing its definition: `{ "silentDays" }`. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const state = pilotFor(locals, params.slug, 'own');
	if (state instanceof Answer) return state.response;
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = pilotSettingsSchema.safeParse(body);
	if (!parsed.success) {
		return invalid('The pilot settings are not valid.', issuesToErrors(parsed.error.issues));
	}
	const saved = plans.setSilentDays(params.slug, parsed.data.silentDays, actorOf(locals));
	if (!saved.ok) return problemResponse(saved.status, saved.detail, { errors: saved.errors });
	return Response.json(plans.definitionView(saved.value));
};
