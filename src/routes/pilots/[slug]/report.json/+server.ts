import { error } from '@sveltejs/kit';
import { reportFileName } from '$lib/domain/report-csv';
import { pilotWithRight } from '$lib/server/access';
import * as plans from '$lib/server/plans';
import { impactReport } from '$lib/server/reports';
import type { RequestHandler } from './$types';

// The impact report as a download: the very object `GET /api/v1/pilots/{slug}/impact` answers.
export const GET: RequestHandler = ({ params, locals }) => {
	const pilot = pilotWithRight(locals, params.slug, 'read');
	const report = impactReport(plans.readStateById(pilot.id)!);
	if (!report) error(409, 'This pilot has no measurement plan with both windows yet: no report.');
	return new Response(JSON.stringify(report, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${reportFileName(pilot.slug, report.generatedAt, 'json')}"`,
			'cache-control': 'no-store'
		}
	});
};
