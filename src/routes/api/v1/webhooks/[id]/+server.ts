import { contextOf } from '$lib/server/auth/access';
import * as webhooks from '$lib/server/alerts/webhooks';
import { refuse } from '$lib/server/http/refusals';
import type { RequestHandler } from './$types';
import { managedWebhook } from './visible.server';

function notFound(): never {
	refuse(404, 'There is no such webhook.');
}

/** One endpoint and its delivery log (newest 50). */
export const GET: RequestHandler = ({ locals, params }) => {
	const id = managedWebhook(locals, params.id);
	if (id === null) notFound();
	return Response.json({ ...webhooks.read(id)!, deliveries: webhooks.deliveries(id) });
};

export const DELETE: RequestHandler = ({ locals, params }) => {
	const id = managedWebhook(locals, params.id);
	if (id === null || !webhooks.remove(id, contextOf(locals))) notFound();
	return new Response(null, { status: 204 });
};
