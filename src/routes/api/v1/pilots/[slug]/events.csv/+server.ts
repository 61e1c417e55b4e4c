import { eventsDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** /pilots/{slug}/events.csv for API keys (scope read). */
export const GET: RequestHandler = async ({ locals, params, url }) =>
	await eventsDownload(locals, params.slug, url);
