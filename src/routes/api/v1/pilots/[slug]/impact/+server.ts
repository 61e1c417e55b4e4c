import { Answer, pilotFor } from '$lib/server/http/api';
import { problemResponse } from '$lib/server/http/problem';
import { impactReport } from '$lib/server/reports/reports';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, params }) => {
	const state = pilotFor(locals, params.slug, 'read');
	if (state instanceof Answer) return state.response;
	const report = impactReport(state);
	if (!report) {
		return problemResponse(
			409,
			'This pilot has no measurement plan with both windows yet, so there is nothing to report.'
		);
	}
	return Response.json(report);
};
