import { auditDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** /audit.csv for admin API keys (and leadership and admin sessions). */
export const GET: RequestHandler = async ({ locals }) => await auditDownload(locals);
