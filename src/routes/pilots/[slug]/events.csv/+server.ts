import { pilotWithRight } from '$lib/server/access';
import { csvResponse, eventsCsv } from '$lib/server/exports';
import * as plans from '$lib/server/plans';
import type { RequestHandler } from './$types';

/** The pilot's events as CSV, in the format the events API and the import read back. */
export const GET: RequestHandler = ({ locals, params }) => {
	const pilot = pilotWithRight(locals, params.slug, 'read');
	const plan = plans.readStateById(pilot.id)?.definition ?? null;
	return csvResponse(eventsCsv(pilot.id, plan), `${pilot.slug}-events.csv`);
};
