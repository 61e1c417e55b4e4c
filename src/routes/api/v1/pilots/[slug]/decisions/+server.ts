import { decisionSchema } from '$lib/schemas/decision';
import { contextOf } from '$lib/server/auth/access';
import { actorLabel } from '$lib/server/context';
import { bodyOf, pilotFor } from '$lib/server/http/api';
import { valueOf } from '$lib/server/http/refusals';
import { recordDecision } from '$lib/server/pilots/decisions';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const state = await pilotFor(locals, params.slug, 'decide');
	const input = await bodyOf(request, decisionSchema, 'The decision');
	const context = contextOf(locals);
	const recorded = await recordDecision(state, input, actorLabel(context.actor), context);
	return Response.json(valueOf(recorded), { status: 201 });
};
