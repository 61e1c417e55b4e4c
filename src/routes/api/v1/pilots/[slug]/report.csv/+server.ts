import { reportDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** /pilots/{slug}/report.csv for API keys (scope read). */
export const GET: RequestHandler = async ({ params, locals }) =>
	await reportDownload(locals, params.slug, 'csv');
