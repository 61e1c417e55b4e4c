import { error } from '@sveltejs/kit';
import { reportCsv, reportFileName } from '$lib/domain/report-csv';
import { pilotWithRight } from '$lib/server/access';
import * as plans from '$lib/server/plans';
import { impactReport } from '$lib/server/reports';
import type { RequestHandler } from './$types';

// One row per metric with its interval, verdict and cases per phase, for a spreadsheet.
export const GET: RequestHandler = ({ params, locals }) => {
	const pilot = pilotWithRight(locals, params.slug, 'read');
	const report = impactReport(plans.readStateById(pilot.id)!);
	if (!report) error(409, 'This pilot has no measurement plan with both windows yet: no report.');
	return new Response(reportCsv(report), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${reportFileName(pilot.slug, report.generatedAt, 'csv')}"`,
			'cache-control': 'no-store'
		}
	});
};
