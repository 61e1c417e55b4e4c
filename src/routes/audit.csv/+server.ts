import { error } from '@sveltejs/kit';
import { auditCsv, csvResponse } from '$lib/server/exports';
import type { RequestHandler } from './$types';

/** The whole audit log as CSV, for the same people as the /audit page. */
export const GET: RequestHandler = ({ locals }) => {
	if (locals.user?.role !== 'admin' && locals.user?.role !== 'leadership') {
		error(403, 'The audit log is for administrators and leadership.');
	}
	return csvResponse(auditCsv(), 'audit-log.csv');
};
