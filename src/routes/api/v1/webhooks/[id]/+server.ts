import { actorOf } from '$lib/server/auth/access';
import * as webhooks from '$lib/server/alerts/webhooks';
import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';
import { managedWebhook } from './visible.server';

const notFound = (): Response => problemResponse(404, 'There is no such webhook.');

/** One endpoint and its delivery log (newest 50). */
export const GET: RequestHandler = ({ locals, params }) => {
	const id = managedWebhook(locals, params.id);
	if (id === null) return notFound();
	return Response.json({ ...webhooks.read(id)!, deliveries: webhooks.deliveries(id) });
};

export const DELETE: RequestHandler = ({ locals, params }) => {
	const id = managedWebhook(locals, params.id);
	if (id === null || !webhooks.remove(id, actorOf(locals))) return notFound();
	return new Response(null, { status: 204 });
};
