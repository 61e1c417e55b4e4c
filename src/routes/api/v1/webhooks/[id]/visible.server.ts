import { managedPilots } from '$lib/server/alerts/audience';
import * as webhooks from '$lib/server/alerts/webhooks';

/** The webhook's id when the caller manages it; `null` answers 404 (others' webhooks stay unseen). */
export function managedWebhook(locals: App.Locals, param: string): number | null {
	const pilotIds = managedPilots(locals);
	const id = /^\d{1,12}$/.test(param) ? Number(param) : null;
	if (id === null) return null;
	const scope = webhooks.scopeOf(id);
	if (!scope) return null;
	if (pilotIds === null) return id;
	return scope.pilotId !== null && pilotIds.includes(scope.pilotId) ? id : null;
}
