import { webhookInputSchema } from '$lib/schemas/webhook';
import { actorOf, requireRight } from '$lib/server/auth/access';
import { managedPilots } from '$lib/server/alerts/audience';
import * as webhooks from '$lib/server/alerts/webhooks';
import { Answer, invalid, issuesToErrors, jsonBody } from '$lib/server/http/api';
import { problemResponse } from '$lib/server/http/problem';
import * as pilots from '$lib/server/pilots/pilots';
import type { RequestHandler } from './$types';

/** Registers an endpoint: owners for their pilot, admins for one pilot or all of them. */
export const POST: RequestHandler = async ({ locals, request }) => {
	// Someone who owns no pilot cannot register anything: refused before the body is read.
	if (managedPilots(locals)?.length === 0) requireRight(locals, null, 'admin');
	const body = await jsonBody(request);
	if (body instanceof Answer) return body.response;
	const parsed = webhookInputSchema.safeParse(body);
	if (!parsed.success) {
		return invalid('The webhook is not valid.', issuesToErrors(parsed.error.issues));
	}
	let pilot: { id: number; slug: string } | null = null;
	if (parsed.data.pilot !== undefined) {
		pilot = pilots.read(parsed.data.pilot);
		if (!pilot) return problemResponse(404, `There is no pilot “${parsed.data.pilot}”.`);
		requireRight(locals, pilot.id, 'own');
	} else {
		requireRight(locals, null, 'admin');
	}
	const created = webhooks.create(parsed.data, pilot, actorOf(locals));
	return Response.json(created, { status: 201 });
};

/** The endpoints the caller manages. */
export const GET: RequestHandler = ({ locals }) => {
	return Response.json({ webhooks: webhooks.list(managedPilots(locals)) });
};
