import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getDb } from '$lib/server/db';
import { isProblemResponse, problemResponse } from '$lib/server/problem';
import { seedDemoPortfolio } from '$lib/server/seed';

/** Once per process: open and migrate the database, and seed the demo portfolio if empty. */
export const init: ServerInit = () => {
	const db = getDb();
	if (process.env.SEED_DEMO !== 'false') {
		const seeded = seedDemoPortfolio(db);
		if (seeded > 0) console.log(`Pilot Impact: seeded the demo portfolio (${seeded} pilots).`);
	}
};

/** Authentication arrives with user accounts; until then every request is anonymous. */
const authenticate: Handle = ({ event, resolve }) => {
	event.locals.user = null;
	return resolve(event);
};

/**
 * Every API error leaves as problem+json (shared/API.md), including the ones SvelteKit
 * produces itself (an unknown route, an error() thrown in an endpoint, an unexpected error).
 */
const apiProblems: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!event.url.pathname.startsWith('/api/') || response.status < 400) return response;
	if (isProblemResponse(response)) return response;
	let detail = response.statusText || 'The request failed';
	try {
		const body = (await response.clone().json()) as { message?: unknown };
		if (typeof body.message === 'string') detail = body.message;
	} catch {
		// not JSON: keep the status text
	}
	const headers: Record<string, string> = {};
	for (const name of ['retry-after', 'allow', 'www-authenticate']) {
		const value = response.headers.get(name);
		if (value) headers[name] = value;
	}
	return problemResponse(response.status, detail, { headers });
};

/** Unexpected errors are logged here and reach the client only as a generic message. */
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) console.error(error);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message };
};

export const handle: Handle = sequence(apiProblems, authenticate);
