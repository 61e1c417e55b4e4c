import { decisionsDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** /pilots/{slug}/decisions.csv for API keys (scope read). */
export const GET: RequestHandler = async ({ locals, params }) =>
	await decisionsDownload(locals, params.slug);
