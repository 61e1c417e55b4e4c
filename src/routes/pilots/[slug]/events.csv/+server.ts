import { eventsDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** The pilot's events as CSV, in the format the events API and the import read back. */
export const GET: RequestHandler = async ({ locals, params, url }) =>
	await eventsDownload(locals, params.slug, url);
