import { contextOf, requireRight } from '$lib/server/auth/access';
import { importBatch } from '$lib/server/ingest/event-import';
import { tooDeepMessage, withinDepth } from '$lib/server/ingest/json-depth';
import * as plans from '$lib/server/pilots/plans';
import { problemResponse } from '$lib/server/http/problem';
import { importBatchSchema } from '$lib/schemas/import-batch';
import type { RequestHandler } from './$types';

// The import wizard's endpoint: one batch of mapped rows, checked or stored. It rides on the
// browser session, so it checks the Origin as SvelteKit does for form posts.
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	if (request.headers.get('origin') !== url.origin) {
		return problemResponse(403, 'Cross-site request refused: the Origin header does not match.');
	}
	const state = await plans.readState(params.slug);
	if (!state) return problemResponse(404, `There is no pilot “${params.slug}”.`);
	await requireRight(locals, state.pilot.id, 'ingest');
	if (!state.definition) {
		return problemResponse(
			409,
			'This pilot has no measurement plan with both windows yet: define them before importing.'
		);
	}
	let body: unknown;
	try {
		const bytes = new Uint8Array(await request.arrayBuffer());
		if (!withinDepth(bytes)) return problemResponse(400, tooDeepMessage);
		body = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		return problemResponse(400, 'Send the batch as JSON: { "mode", "rows": [{ "line", "event" }] }.');
	}
	const parsed = importBatchSchema.safeParse(body);
	if (!parsed.success) {
		return problemResponse(422, 'The batch is not in the expected shape.', {
			errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
		});
	}
	return Response.json(
		await importBatch(state.pilot, state.definition, parsed.data, contextOf(locals))
	);
};
