import { pilotFor } from '$lib/server/http/api';
import { refuse } from '$lib/server/http/refusals';
import { impactReport } from '$lib/server/reports/reports';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const report = await impactReport(await pilotFor(locals, params.slug, 'read'));
	if (!report) {
		refuse(
			409,
			'This pilot has no measurement plan with both windows yet, so there is nothing to report.'
		);
	}
	return Response.json(report);
};
