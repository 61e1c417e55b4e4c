import { checkHealth } from '$lib/server/http/health';
import type { RequestHandler } from './$types';

/** Open to everyone: it says only whether the service can serve, nothing about the data. */
export const GET: RequestHandler = async () => {
	const health = await checkHealth();
	return Response.json(health, {
		status: health.status === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
