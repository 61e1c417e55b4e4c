import { error } from '@sveltejs/kit';
import { reportCsv, reportFileName } from '$lib/domain/report-csv';
import { can, pilotWithRight, requireCaller } from '../auth/access';
import {
	EVENT_CSV_VARIANTS,
	auditCsv,
	csvResponse,
	decisionsCsv,
	eventsCsv,
	type EventCsvVariant
} from './exports';
import * as plans from '../pilots/plans';
import { impactReport } from './reports';

// The file downloads, one function each, served both beside the pages (with a session) and
// under /api/v1 (with an API key or a session): the same rights, the same files.

/** `?variant=spreadsheet` asks for the spreadsheet-safe events file; the default reads back. */
export function eventsVariant(url: URL): EventCsvVariant {
	const asked = url.searchParams.get('variant');
	if (asked === null) return 'round-trip';
	if ((EVENT_CSV_VARIANTS as readonly string[]).includes(asked)) return asked as EventCsvVariant;
	error(400, `variant is one of ${EVENT_CSV_VARIANTS.join(', ')}.`);
}

export async function eventsDownload(
	locals: App.Locals,
	slug: string,
	url: URL
): Promise<Response> {
	const pilot = await pilotWithRight(locals, slug, 'read');
	const variant = eventsVariant(url);
	const plan = (await plans.readStateById(pilot.id))?.definition ?? null;
	const name = variant === 'spreadsheet' ? 'events-spreadsheet' : 'events';
	return csvResponse(
		await eventsCsv(pilot.id, plan, undefined, variant),
		`${pilot.slug}-${name}.csv`
	);
}

export async function decisionsDownload(locals: App.Locals, slug: string): Promise<Response> {
	const pilot = await pilotWithRight(locals, slug, 'read');
	return csvResponse(await decisionsCsv(pilot.id), `${pilot.slug}-decisions.csv`);
}

/** The impact report as `GET /api/v1/pilots/{slug}/impact` answers it, as a file. */
export async function reportDownload(
	locals: App.Locals,
	slug: string,
	format: 'csv' | 'json'
): Promise<Response> {
	const pilot = await pilotWithRight(locals, slug, 'read');
	const report = await impactReport((await plans.readStateById(pilot.id))!);
	if (!report) error(409, 'This pilot has no measurement plan with both windows yet: no report.');
	return new Response(format === 'csv' ? reportCsv(report) : JSON.stringify(report, null, 2), {
		headers: {
			'content-type': `${format === 'csv' ? 'text/csv' : 'application/json'}; charset=utf-8`,
			'content-disposition': `attachment; filename="${reportFileName(pilot.slug, report.generatedAt, format)}"`,
			'cache-control': 'no-store'
		}
	});
}

/** The whole audit log: administrators (and admin keys) and leadership, like /audit. */
export async function auditDownload(locals: App.Locals): Promise<Response> {
	await requireCaller(locals);
	if (!(await can(locals, null, 'admin')) && locals.user?.role !== 'leadership') {
		error(403, 'The audit log is for administrators and leadership.');
	}
	return csvResponse(await auditCsv(), 'audit-log.csv');
}
