import { webhookInputSchema } from '$lib/schemas/webhook';
import { contextOf, requireRight } from '$lib/server/auth/access';
import { managedPilots } from '$lib/server/alerts/audience';
import * as webhooks from '$lib/server/alerts/webhooks';
import { bodyOf } from '$lib/server/http/api';
import { refuse } from '$lib/server/http/refusals';
import * as pilots from '$lib/server/pilots/pilots';
import type { RequestHandler } from './$types';

/** Registers an endpoint: owners for their pilot, admins for one pilot or all of them. */
export const POST: RequestHandler = async ({ locals, request }) => {
	// Someone who owns no pilot cannot register anything: refused before the body is read.
	if ((await managedPilots(locals))?.length === 0) await requireRight(locals, null, 'admin');
	const input = await bodyOf(request, webhookInputSchema, 'The webhook');
	let pilot: { id: number; slug: string } | null = null;
	if (input.pilot !== undefined) {
		pilot = await pilots.read(input.pilot);
		if (!pilot) refuse(404, `There is no pilot “${input.pilot}”.`);
		await requireRight(locals, pilot.id, 'own');
	} else {
		await requireRight(locals, null, 'admin');
	}
	const created = await webhooks.create(input, pilot, contextOf(locals));
	return Response.json(created, { status: 201 });
};

/** The endpoints the caller manages. */
export const GET: RequestHandler = async ({ locals }) => {
	return Response.json({ webhooks: await webhooks.list(await managedPilots(locals)) });
};
