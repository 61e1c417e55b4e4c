// Longer than most files, on purpose: every request passes these hooks in the order of `handle`
// below; that order is the design, so they stay in one file.

import { type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import * as apiKeys from '$lib/server/auth/api-keys';
import { anonymousActor, flushDenials, recordDenial } from '$lib/server/audit/audit';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { TokenBuckets, keyRateLimitFromEnv } from '$lib/server/auth/key-rate-limit';
import { badApiKeysByAddress } from '$lib/server/auth/rate-limit';
import { closeDb } from '$lib/server/db';
import {
	isDatabaseUnavailable,
	isUnstorableText,
	unavailableRetryAfter
} from '$lib/server/db/unavailable';
import { refuseUnreadableForms } from '$lib/server/http/form-guard';
import { isProblemResponse, problemResponse, type ProblemRowError } from '$lib/server/http/problem';
import { logLine, requestId } from '$lib/server/http/request-log';
import * as sessions from '$lib/server/auth/sessions';
import { startUp } from '$lib/server/db/startup';
import { startAlerts } from '$lib/server/alerts/scheduler';

/**
 * Once per process: migrate, create the operator's first admin and key, seed the demo. On
 * SIGTERM/SIGINT adapter-node stops accepting connections, lets the requests in flight
 * finish (a batch being received is stored and answered; at most SHUTDOWN_TIMEOUT seconds)
 * and then emits `sveltekit:shutdown`: only then is the database closed.
 */
export const init: ServerInit = async () => {
	await startUp(env);
	const stopAlerts = startAlerts(env);
	// A custom event of adapter-node, absent from Node's typed event names.
	process.once('sveltekit:shutdown' as 'beforeExit', () => {
		stopAlerts();
		void flushDenials()
			// the counts of refusals are worth less than closing the database cleanly
			.catch((error: unknown) => console.error(error))
			.finally(() =>
				closeDb().then(
					() => console.log('Pilot Impact: requests finished, database closed.'),
					(error: unknown) => console.error(error)
				)
			);
	});
};

const logRequests = env.REQUEST_LOG !== 'off';

/**
 * Outermost: gives every request an id (kept from `x-request-id` when plain, else new),
 * answers with it, and writes one JSON line per request (see request-log.ts for what is left
 * out on purpose).
 */
const requestLog: Handle = async ({ event, resolve }) => {
	const startedAt = performance.now();
	const id = requestId(event.request.headers.get('x-request-id'));
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		try {
			response.headers.set('x-request-id', id);
		} catch {
			// a response with immutable headers keeps its own
		}
		return response;
	} finally {
		if (logRequests) {
			const line = logLine({
				id,
				method: event.request.method,
				route: event.route.id,
				pathname: event.url.pathname,
				status,
				durationMs: performance.now() - startedAt,
				at: new Date()
			});
			process.stdout.write(JSON.stringify(line) + '\n');
		}
	}
};

function clientAddress(getClientAddress: () => string): string | null {
	try {
		return getClientAddress();
	} catch {
		return null;
	}
}

/**
 * Always sets locals.user and locals.apiKey (null when absent). A request with an
 * Authorization header is judged by that key alone: cookies are ignored, so a script can
 * never ride on a browser session and a browser page cannot be driven by a leaked key.
 * An address that sent too many unknown or invalid keys gets 429 before its key is even
 * looked at, so guessing keys (or flooding the audit log with 401s) is slowed down.
 */
const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.apiKey = null;
	const address = clientAddress(event.getClientAddress);
	event.locals.request = { method: event.request.method, path: event.url.pathname, address };
	const authorization = event.request.headers.get('authorization');
	if (authorization !== null) {
		const now = Date.now();
		const addressKey = address ?? 'unknown';
		const wait = badApiKeysByAddress.retryAfter(addressKey, now);
		if (wait > 0) {
			await recordDenial(anonymousActor, {
				kind: '429',
				action: 'api_key.throttled',
				targetType: 'route',
				targetLabel: `${event.request.method} ${event.url.pathname}`,
				detail: `too many unknown or invalid API keys; retry after ${wait} s`,
				address
			});
			return problemResponse(
				429,
				`Too many requests with unknown or invalid API keys from this address; try again in ${wait} ${wait === 1 ? 'second' : 'seconds'}.`,
				{ headers: { 'retry-after': String(wait) } }
			);
		}
		const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
		event.locals.apiKey = key ? await apiKeys.authenticate(key) : null;
		if (event.locals.apiKey === null) badApiKeysByAddress.fail(addressKey, now);
		return resolve(event);
	}
	const token = event.cookies.get(sessions.sessionCookie);
	if (token) {
		const session = await sessions.validate(token);
		if (session) {
			event.locals.user = session.user;
			if (session.renewed) setSessionCookie(event.cookies, event.url, token, session.expiresAt);
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

/**
 * An answer given before the request body was read (401, 404, 415, a redirect to sign in…)
 * would leave that body on the connection: Node then resets the socket, and the client sees
 * EPIPE or ECONNRESET instead of the answer (or on its next request). So the rest of the body
 * is read and dropped first, as the ingestion endpoint does; it is bounded by BODY_SIZE_LIMIT,
 * and a body that breaks off or passes it closes the connection instead.
 */
const drainUnreadBodies: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const body = event.request.body;
	if (body === null || event.request.bodyUsed) return response;
	try {
		const reader = body.getReader();
		while (!(await reader.read()).done) {
			// dropped
		}
	} catch {
		try {
			response.headers.set('connection', 'close');
		} catch {
			// a response with immutable headers keeps its own
		}
	}
	return response;
};

/** Where large bodies belong: event batches (10 MiB) and the import wizard's batches. */
const largeBodyRoutes = new Set(['/api/v1/pilots/[slug]/events', '/pilots/[slug]/data/import']);
/** Everywhere else: a form or a JSON document (a plan, a decision…) is far smaller. */
const smallBodyLimit = { api: 1024 * 1024, page: 256 * 1024 };

/**
 * Refuses a body larger than its route needs with 413 before anything parses it, so a
 * 9 MiB sign-in form costs no parsing and reaches nothing it could fill. BODY_SIZE_LIMIT
 * (10 MiB) stays the bound for the routes that take large bodies. A body sent without a
 * length (chunked) is read here up to the limit and handed on whole.
 */
const limitBodies: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.body === null || largeBodyRoutes.has(event.route.id ?? '')) return resolve(event);
	const limit = event.url.pathname.startsWith('/api/') ? smallBodyLimit.api : smallBodyLimit.page;
	const tooLarge = (): Response =>
		event.url.pathname.startsWith('/api/')
			? problemResponse(413, `The request body is too large: at most ${limit / 1024} KiB here.`)
			: new Response(`The request body is too large: at most ${limit / 1024} KiB here.`, {
					status: 413,
					headers: { 'content-type': 'text/plain; charset=utf-8' }
				});
	const length = request.headers.get('content-length');
	if (length !== null) return Number(length) > limit ? tooLarge() : resolve(event);
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	// Past the limit the rest is still read (bounded by BODY_SIZE_LIMIT) and dropped, so the
	// answer reaches the client instead of a reset connection.
	for (let part = await reader.read(); !part.done; part = await reader.read()) {
		size += part.value.byteLength;
		if (size <= limit) chunks.push(part.value);
	}
	if (size > limit) return tooLarge();
	event.request = new Request(request.url, {
		method: request.method,
		headers: request.headers,
		body: Buffer.concat(chunks)
	});
	return resolve(event);
};

let keyBuckets: TokenBuckets | null = null;

/**
 * Each API key gets a token bucket (API_RATE_LIMIT per second, API_RATE_BURST at once):
 * beyond it, 429 with Retry-After, so one runaway script cannot starve the others.
 */
const limitApiKeys: Handle = ({ event, resolve }) => {
	const key = event.locals.apiKey;
	if (key === null) return resolve(event);
	keyBuckets ??= new TokenBuckets(keyRateLimitFromEnv(env));
	const wait = keyBuckets.take(String(key.id), Date.now());
	if (wait === 0) return resolve(event);
	return problemResponse(
		429,
		`Too many requests with this API key; try again in ${wait} ${wait === 1 ? 'second' : 'seconds'}.`,
		{ headers: { 'retry-after': String(wait) } }
	);
};

/** What a browser form can send cross-site without a preflight (and SvelteKit's own form data). */
const formContentTypes = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);

/**
 * CSRF: a page's form post must come from the site itself (SvelteKit's rule, applied here
 * because SvelteKit's own check cannot be limited to pages). The API needs none for key calls,
 * which carry no ambient credentials; calls on a session cookie get checkApiOrigin below.
 */
const checkFormOrigin: Handle = ({ event, resolve }) => {
	const { method, headers } = event.request;
	if (
		event.url.pathname.startsWith('/api/') ||
		!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)
	)
		return resolve(event);
	const type = (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!formContentTypes.has(type) || headers.get('origin') === event.url.origin)
		return resolve(event);
	return new Response(`Cross-site ${method} form submissions are forbidden`, {
		status: 403,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};

const publicPages = new Set(['/login', '/docs/api', '/healthz']);

/**
 * Pages need a signed-in user: anyone else goes to the login page and comes back after.
 * The API answers 401 itself (requireCaller), as problem+json.
 */
const requireSignIn: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	if (event.locals.user || path.startsWith('/api/') || publicPages.has(path)) return resolve(event);
	if (path.startsWith('/_app/') || path === '/favicon.ico' || path === '/robots.txt')
		return resolve(event);
	const target = path + event.url.search;
	const location = target === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(target)}`;
	return new Response(null, { status: 303, headers: { location } });
};

/**
 * SvelteKit checks the Origin of form posts; JSON calls that ride on the session cookie get
 * the same check here. Calls with an API key carry no ambient credentials and need none.
 */
const checkApiOrigin: Handle = ({ event, resolve }) => {
	const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method);
	if (unsafe && event.url.pathname.startsWith('/api/') && event.locals.user) {
		if (event.request.headers.get('origin') !== event.url.origin) {
			return problemResponse(403, 'Cross-site request refused: the Origin header does not match.');
		}
	}
	return resolve(event);
};

/**
 * Every API error leaves as problem+json (docs/api.md), including the ones SvelteKit
 * produces itself (an unknown route, an error() thrown in an endpoint, an unexpected error).
 */
const apiProblems: Handle = async ({ event, resolve }) => {
	const api = event.url.pathname.startsWith('/api/');
	// SvelteKit answers a thrown error as JSON only to a caller that asks for JSON (an HTML
	// page otherwise, without the errors): an API caller always gets them.
	if (api) {
		try {
			event.request.headers.set('accept', 'application/json');
		} catch {
			// immutable headers: a caller that does not accept JSON then gets the status text alone
		}
	}
	const response = await resolve(event);
	if (!api || response.status < 400) return response;
	if (isProblemResponse(response)) return response;
	let detail = response.statusText || 'The request failed';
	let errors: ProblemRowError[] | undefined;
	try {
		const body = (await response.clone().json()) as App.Error;
		if (typeof body.message === 'string') detail = body.message;
		if (Array.isArray(body.errors)) errors = body.errors;
	} catch {
		// not JSON: keep the status text
	}
	const headers: Record<string, string> = {};
	for (const name of ['retry-after', 'allow', 'www-authenticate']) {
		const value = response.headers.get(name);
		if (value) headers[name] = value;
	}
	if (response.status === 401) headers['www-authenticate'] ??= 'Bearer';
	return problemResponse(response.status, detail, { headers, errors });
};

/** Headers no page should go without; the CSP itself is in svelte.config.js (nonces per page). */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const set = (name: string, value: string): void => {
		if (!response.headers.has(name)) response.headers.set(name, value);
	};
	try {
		set('x-content-type-options', 'nosniff');
		set('referrer-policy', 'same-origin');
		set('x-frame-options', 'DENY');
		set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
		if (event.url.pathname.startsWith('/api/')) set('cache-control', 'no-store');
	} catch {
		// a response with immutable headers (a redirect made by fetch) keeps its own
	}
	return response;
};

/**
 * Unexpected errors are logged here and reach the client only as a generic message. A database
 * that cannot do the work right now (a lost connection, a timeout) is marked on the request, so
 * that `databaseUnavailable` answers 503 with Retry-After instead of 500.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status >= 500 && isUnstorableText(error)) {
		event.locals.unstorableText = true;
		return { message: unstorableTextMessage };
	}
	if (status >= 500 && isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(`Pilot Impact: the database was unavailable: ${String(error)}`);
		return { message: unavailableMessage };
	}
	if (status >= 500) console.error(error);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message };
};

const unavailableMessage =
	'The database could not be reached for a moment; nothing of this request was stored. Send it again after Retry-After seconds.';

const unstorableTextMessage = 'Text cannot contain the NUL character (U+0000); nothing was stored.';

/**
 * A request that failed only because the database was unavailable is answered 503, retryable;
 * one whose text the database cannot store, 400.
 */
const databaseUnavailable: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status === 500 && event.locals.unstorableText) {
		return event.url.pathname.startsWith('/api/')
			? problemResponse(400, unstorableTextMessage)
			: new Response(unstorableTextMessage, {
					status: 400,
					headers: { 'content-type': 'text/plain; charset=utf-8' }
				});
	}
	if (response.status !== 500 || !event.locals.databaseUnavailable) return response;
	const headers = { 'retry-after': String(unavailableRetryAfter) };
	if (event.url.pathname.startsWith('/api/')) {
		return problemResponse(503, unavailableMessage, { headers });
	}
	return new Response(unavailableMessage, {
		status: 503,
		headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }
	});
};

/** Page form posts that are not forms answer 400, not 500; large uploads are not read twice. */
const readableForms: Handle = async (input) =>
	largeBodyRoutes.has(input.event.route.id ?? '')
		? input.resolve(input.event)
		: await refuseUnreadableForms(input);

export const handle: Handle = sequence(
	requestLog,
	drainUnreadBodies,
	securityHeaders,
	databaseUnavailable,
	checkFormOrigin,
	apiProblems,
	limitBodies,
	readableForms,
	authenticate,
	limitApiKeys,
	checkApiOrigin,
	requireSignIn
);
