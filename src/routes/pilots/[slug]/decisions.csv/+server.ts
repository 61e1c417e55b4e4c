import { decisionsDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** The pilot's decision log as CSV. */
export const GET: RequestHandler = async ({ locals, params }) =>
	await decisionsDownload(locals, params.slug);
