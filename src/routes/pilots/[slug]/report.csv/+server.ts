import { reportDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

// One row per metric with its interval, verdict and cases per phase, for a spreadsheet.
export const GET: RequestHandler = async ({ params, locals }) =>
	await reportDownload(locals, params.slug, 'csv');
