import { pilotWithRight } from '$lib/server/access';
import { csvResponse, decisionsCsv } from '$lib/server/exports';
import type { RequestHandler } from './$types';

/** The pilot's decision log as CSV. */
export const GET: RequestHandler = ({ locals, params }) => {
	const pilot = pilotWithRight(locals, params.slug, 'read');
	return csvResponse(decisionsCsv(pilot.id), `${pilot.slug}-decisions.csv`);
};
