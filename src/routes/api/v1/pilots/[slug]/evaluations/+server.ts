import { evaluationRunSchema } from '$lib/schemas/evaluation';
import { contextOf } from '$lib/server/auth/access';
import { bodyOf, pilotFor } from '$lib/server/http/api';
import * as evaluations from '$lib/server/pilots/evaluations';
import type { EvaluationRunRow } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/** One quality run of the AI (docs/api.md "Evaluations and decisions"). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const state = await pilotFor(locals, params.slug, 'ingest');
	const input = await bodyOf(request, evaluationRunSchema, 'The evaluation run');
	const run = await evaluations.create(state.pilot, input, 'api', [], contextOf(locals));
	return Response.json(view(run), { status: 201 });
};

/** The pilot's runs, newest first. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const state = await pilotFor(locals, params.slug, 'read');
	return Response.json({ runs: (await evaluations.list(state.pilot.id)).map(view) });
};

/** A run as the API shows it: without its pilot, who recorded it and when it was stored. */
function view({ id, name, runAt, criteria, source }: EvaluationRunRow) {
	return { id, name, runAt, criteria, source };
}
