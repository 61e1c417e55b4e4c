import { auditDownload } from '$lib/server/reports/downloads';
import type { RequestHandler } from './$types';

/** The whole audit log as CSV, for the same people as the /audit page. */
export const GET: RequestHandler = async ({ locals }) => await auditDownload(locals);
