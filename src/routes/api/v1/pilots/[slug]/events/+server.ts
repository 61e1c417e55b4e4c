import { contextOf } from '$lib/server/auth/access';
import { pilotFor } from '$lib/server/http/api';
import { ingestBody } from '$lib/server/ingest/ingest-request';
import { readDefinition } from '$lib/server/pilots/plans';
import { problemResponse } from '$lib/server/http/problem';
import { refuse } from '$lib/server/http/refusals';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	// Per batch only the plan is needed, not its amendments and baseline summaries.
	const state = await pilotFor(locals, params.slug, 'ingest', readDefinition);
	if (!state.definition) {
		refuse(
			409,
			'This pilot has no measurement plan with both windows yet: define them before sending events.'
		);
	}
	const outcome = await ingestBody(
		state.pilot,
		state.definition,
		{
			contentType: request.headers.get('content-type'),
			contentLength: request.headers.get('content-length'),
			body: request.body
		},
		contextOf(locals)
	);
	if (outcome.status === 200) {
		return Response.json({ accepted: outcome.accepted, duplicates: outcome.duplicates });
	}
	// A retryable refusal carries its Retry-After header, so it is answered here.
	if (outcome.status === 503) {
		return problemResponse(503, outcome.detail, {
			headers: { 'retry-after': String(outcome.retryAfter) }
		});
	}
	refuse(outcome.status, outcome.detail, outcome.errors);
};
