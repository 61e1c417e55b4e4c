import { contextOf } from '$lib/server/auth/access';
import * as webhooks from '$lib/server/alerts/webhooks';
import { refuse } from '$lib/server/http/refusals';
import type { RequestHandler } from './$types';
import { managedWebhook } from './visible.server';

function notFound(): never {
	refuse(404, 'There is no such webhook.');
}

/** One endpoint and its delivery log (newest 50). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const id = await managedWebhook(locals, params.id);
	if (id === null) notFound();
	return Response.json({
		...(await webhooks.read(id))!,
		deliveries: await webhooks.deliveries(id)
	});
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const id = await managedWebhook(locals, params.id);
	if (id === null || !(await webhooks.remove(id, contextOf(locals)))) notFound();
	return new Response(null, { status: 204 });
};
