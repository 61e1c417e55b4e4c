import { contextOf } from '$lib/server/auth/access';
import { currentSettings } from '$lib/server/alerts/scheduler';
import * as webhooks from '$lib/server/alerts/webhooks';
import { refuse } from '$lib/server/http/refusals';
import type { RequestHandler } from './$types';
import { managedWebhook } from '../visible.server';

/** Queues a `webhook.test` delivery ("send test"); 202 with its id. */
export const POST: RequestHandler = async ({ locals, params }) => {
	const id = await managedWebhook(locals, params.id);
	const delivery =
		id === null ? null : await webhooks.sendTest(id, currentSettings().origin, contextOf(locals));
	if (delivery === null) refuse(404, 'There is no such webhook.');
	return Response.json({ delivery }, { status: 202 });
};
