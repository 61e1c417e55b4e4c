import { pilotSettingsSchema } from '$lib/schemas/definition';
import { contextOf } from '$lib/server/auth/access';
import { bodyOf, jsonBody, pilotFor } from '$lib/server/http/api';
import { refuse, valueOf } from '$lib/server/http/refusals';
import { parseDefinition } from '$lib/server/pilots/definition-input';
import * as plans from '$lib/server/pilots/plans';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	return Response.json(plans.definitionView(await pilotFor(locals, params.slug, 'read')));
};

export const PUT: RequestHandler = async ({ locals, params, request }) => {
	await pilotFor(locals, params.slug, 'own');
	const parsed = parseDefinition(await jsonBody(request));
	if (!parsed.ok) refuse(422, 'The pilot definition is not valid.', parsed.errors);
	const saved = valueOf(await plans.replace(params.slug, parsed.value, contextOf(locals)));
	return Response.json(plans.definitionView(saved));
};

/** The pilot's settings that change without replacing its definition: `{ "silentDays" }`. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	await pilotFor(locals, params.slug, 'own');
	const input = await bodyOf(request, pilotSettingsSchema, 'The pilot settings');
	const saved = await plans.setSilentDays(params.slug, input.silentDays, contextOf(locals));
	return Response.json(plans.definitionView(valueOf(saved)));
};
