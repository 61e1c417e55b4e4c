import { reportDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

// The impact report as a download: the very object `GET /api/v1/pilots/{slug}/impact` answers.
export const GET: RequestHandler = async ({ params, locals }) =>
	await reportDownload(locals, params.slug, 'json');
