import { reportDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** /pilots/{slug}/report.json for API keys (scope read): the impact report as a file. */
export const GET: RequestHandler = async ({ params, locals }) =>
	await reportDownload(locals, params.slug, 'json');
