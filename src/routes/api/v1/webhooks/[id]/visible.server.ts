import { managedPilots } from '$lib/server/alerts/audience';
import * as webhooks from '$lib/server/alerts/webhooks';

/** The webhook's id when the caller manages it; `null` answers 404 (others' webhooks stay unseen). */
export async function managedWebhook(locals: App.Locals, param: string): Promise<number | null> {
	const pilotIds = await managedPilots(locals);
	const id = /^\d{1,12}$/.test(param) ? Number(param) : null;
	if (id === null) return null;
	const scope = await webhooks.scopeOf(id);
	if (!scope) return null;
	if (pilotIds === null) return id;
	return scope.pilotId !== null && pilotIds.includes(scope.pilotId) ? id : null;
}
