import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { client, signIn } from '../support/session';

// The role × route matrix: every route under src/routes (pages, form actions, endpoints),
// found on the file system, times every kind of caller. A route added without a row here
// fails the first test, so nothing new is born unprotected.

const pilot = 'email-triage-assistant';
const password = {
	admin: 'demo-admin-pass',
	leadership: 'demo-leadership-pass',
	owner: 'demo-owner-pass',
	member: 'demo-member-pass'
};
const outsider = { email: 'outsider@demo.pilot-impact.test', password: 'outsider passphrase' };

const callers = [
	'anonymous',
	'admin',
	'leadership',
	'owner',
	'member',
	'outsider',
	'ingestKey',
	'readKey',
	'adminKey'
] as const;
type Caller = (typeof callers)[number];
type Row = Record<Caller, number>;

/** Pages send anyone not signed in (API keys included: pages take no keys) to the login page. */
const page = (cells: Partial<Row>): Row => ({
	anonymous: 303,
	ingestKey: 303,
	readKey: 303,
	adminKey: 303,
	admin: 200,
	leadership: 200,
	owner: 200,
	member: 200,
	outsider: 200,
	...cells
});
/** The same answer for every caller: routes open to all. */
const everyone = (status: number): Row =>
	Object.fromEntries(callers.map((caller) => [caller, status])) as Row;
const ownersOnly = { leadership: 403, member: 403, outsider: 403 };

/** API endpoints: 401 for nobody; otherwise 200 unless the cell says another status. */
const api = (cells: Partial<Row>): Row => ({
	anonymous: 401,
	admin: 200,
	leadership: 200,
	owner: 200,
	member: 200,
	outsider: 200,
	ingestKey: 200,
	readKey: 200,
	adminKey: 200,
	...cells
});
const denied = (...who: Caller[]): Partial<Row> =>
	Object.fromEntries(who.map((caller) => [caller, 403]));
const ownerApi: Partial<Row> = {
	admin: 415,
	owner: 415,
	adminKey: 415,
	...denied('leadership', 'member', 'outsider', 'ingestKey', 'readKey')
};
const readers = { outsider: 403 };

interface Case {
	expected: Row;
	/** Form fields that pass the action's first checks without changing anything. */
	form?: Record<string, string>;
}

const matrix: Record<string, Case> = {
	'GET /': { expected: page({}) },
	'GET /login': {
		expected: page({
			anonymous: 200,
			ingestKey: 200,
			readKey: 200,
			adminKey: 200,
			admin: 303,
			leadership: 303,
			owner: 303,
			member: 303,
			outsider: 303
		})
	},
	'POST /login?/default': {
		// A signed-in user who posts the form again is sent on, like one who opens the page.
		expected: page({
			anonymous: 400,
			ingestKey: 400,
			readKey: 400,
			adminKey: 400,
			admin: 303,
			leadership: 303,
			owner: 303,
			member: 303,
			outsider: 303
		})
	},
	'GET /logout': {
		expected: page({ admin: 303, leadership: 303, owner: 303, member: 303, outsider: 303 })
	},
	// Signed-in callers sign out of a fresh session of their own (see the cell test), so the
	// matrix's sessions live on.
	'POST /logout?/default': {
		expected: page({ admin: 303, leadership: 303, owner: 303, member: 303, outsider: 303 })
	},
	'GET /pilots/new': { expected: page({}) },
	// One's own account: an empty form changes nothing (400).
	'GET /account': { expected: page({}) },
	'POST /account?/password': {
		expected: page({ admin: 400, leadership: 400, owner: 400, member: 400, outsider: 400 })
	},
	'POST /pilots/new?/default': {
		expected: page({ admin: 400, leadership: 400, owner: 400, member: 400, outsider: 400 })
	},
	'GET /pilots/[slug]': { expected: page(readers) },
	'POST /pilots/[slug]?/stage': {
		expected: page({ admin: 400, leadership: 400, owner: 400, member: 403, outsider: 403 }),
		form: { action: 'record-decision', decision: 'scale', rationale: '' }
	},
	'POST /pilots/[slug]?/setMember': { expected: page({ ...ownersOnly, admin: 400, owner: 400 }) },
	'POST /pilots/[slug]?/removeMember': {
		expected: page({ ...ownersOnly, admin: 400, owner: 400 })
	},
	'GET /pilots/[slug]/edit': { expected: page(ownersOnly) },
	'POST /pilots/[slug]/edit?/default': {
		expected: page({ ...ownersOnly, admin: 400, owner: 400 })
	},
	// Members add data (the import); only owners see and manage the API keys there.
	'GET /pilots/[slug]/data': { expected: page({ leadership: 403, outsider: 403 }) },
	'POST /pilots/[slug]/data?/saveProfile': {
		expected: page({ admin: 400, owner: 400, member: 400, leadership: 403, outsider: 403 })
	},
	'POST /pilots/[slug]/data?/deleteProfile': {
		expected: page({ admin: 404, owner: 404, member: 404, leadership: 403, outsider: 403 })
	},
	// The wizard's batches: a form body is not a batch (400), so nothing is stored.
	'POST /pilots/[slug]/data/import': {
		expected: page({ admin: 400, owner: 400, member: 400, leadership: 403, outsider: 403 })
	},
	'GET /pilots/[slug]/events.csv': { expected: page(readers) },
	'GET /pilots/[slug]/decisions.csv': { expected: page(readers) },
	'GET /audit.csv': { expected: page({ owner: 403, member: 403, outsider: 403 }) },
	'POST /pilots/[slug]/data?/createKey': {
		expected: page({ ...ownersOnly, admin: 400, owner: 400 })
	},
	'POST /pilots/[slug]/data?/revokeKey': {
		expected: page({ ...ownersOnly, admin: 404, owner: 404 })
	},
	'GET /pilots/[slug]/history': { expected: page(readers) },
	'GET /pilots/[slug]/decisions': { expected: page(readers) },
	// The matrix's pilot has no decision yet: readers learn that, others not even that.
	'GET /pilots/[slug]/decisions/[id]': {
		expected: page({ ...readers, admin: 404, leadership: 404, owner: 404, member: 404 })
	},
	'GET /pilots/[slug]/report.json': { expected: page(readers) },
	'GET /pilots/[slug]/report.csv': { expected: page(readers) },
	'GET /audit': { expected: page({ owner: 403, member: 403, outsider: 403 }) },
	'GET /admin/users': {
		expected: page({ leadership: 403, owner: 403, member: 403, outsider: 403 })
	},
	'POST /admin/users?/createUser': {
		expected: page({ admin: 400, leadership: 403, owner: 403, member: 403, outsider: 403 })
	},
	'POST /admin/users?/changeUser': {
		expected: page({ admin: 400, leadership: 403, owner: 403, member: 403, outsider: 403 })
	},
	'POST /admin/users?/createKey': {
		expected: page({ admin: 400, leadership: 403, owner: 403, member: 403, outsider: 403 })
	},
	// Each user's alerts; marking them read changes only one's own list.
	'GET /notifications': { expected: page({}) },
	'POST /notifications?/markRead': { expected: page({}) },
	// An empty form lists nothing: it would mute everything, for the caller only.
	'POST /notifications?/settings': { expected: page({}) },
	// Webhook settings: everyone sees the ones they manage (none for most); only owners and
	// admins register; an id one does not manage is unknown.
	'GET /webhooks': { expected: page({}) },
	// The weekly digest covers the whole portfolio: leadership and admins.
	'GET /digest': { expected: page({ owner: 403, member: 403, outsider: 403 }) },
	'POST /webhooks?/create': { expected: page({ ...ownersOnly, admin: 400, owner: 400 }) },
	'POST /webhooks?/remove': {
		expected: page({ admin: 404, leadership: 404, owner: 404, member: 404, outsider: 404 })
	},
	'POST /webhooks?/test': {
		expected: page({ admin: 404, leadership: 404, owner: 404, member: 404, outsider: 404 })
	},
	'GET /healthz': {
		expected: everyone(200)
	},
	'GET /api/v1/me': {
		expected: { ...everyone(200), anonymous: 401 }
	},
	'POST /admin/users?/revokeKey': {
		expected: page({ admin: 404, leadership: 403, owner: 403, member: 403, outsider: 403 })
	},
	'GET /pilots/[slug]/plan': { expected: page(readers) },
	'GET /pilots/[slug]/evaluations': { expected: page(readers) },
	// Members add evaluation runs; leadership reads them.
	'POST /pilots/[slug]/evaluations?/record': {
		expected: page({ admin: 400, owner: 400, member: 400, leadership: 403, outsider: 403 })
	},
	'POST /pilots/[slug]/evaluations?/upload': {
		expected: page({ admin: 400, owner: 400, member: 400, leadership: 403, outsider: 403 })
	},
	'POST /pilots/[slug]/plan?/save': { expected: page({ ...ownersOnly, admin: 400, owner: 400 }) },
	// Adds a blank metric row to the form it is sent; saves nothing.
	'POST /pilots/[slug]/plan?/addMetric': {
		expected: page({ ...ownersOnly, admin: 200, owner: 200 })
	},
	'GET /pilots/[slug]/baseline': { expected: page(readers) },
	'POST /pilots/[slug]/baseline?/summary': {
		expected: page({ ...ownersOnly, admin: 400, owner: 400 })
	},
	'GET /docs/api': {
		expected: { ...page({}), anonymous: 200, ingestKey: 200, readKey: 200, adminKey: 200 }
	},
	'GET /api/v1/openapi.json': {
		expected: everyone(200)
	},
	// The API: 401 without a caller, 403 without the right; with the right, the form body the
	// matrix sends is refused as the wrong content type (415), so nothing changes.
	'GET /api/v1/pilots': { expected: api({}) },
	'POST /api/v1/pilots': {
		expected: api({
			admin: 415,
			adminKey: 415,
			...denied('leadership', 'owner', 'member', 'outsider', 'ingestKey', 'readKey')
		})
	},
	'GET /api/v1/pilots/[slug]': { expected: api(denied('outsider', 'ingestKey')) },
	'PUT /api/v1/pilots/[slug]': { expected: api(ownerApi) },
	'PATCH /api/v1/pilots/[slug]': { expected: api(ownerApi) },
	'GET /api/v1/pilots/[slug]/impact': { expected: api(denied('outsider', 'ingestKey')) },
	// The downloads of the pilot pages, for API keys as well as sessions.
	'GET /api/v1/pilots/[slug]/events.csv': { expected: api(denied('outsider', 'ingestKey')) },
	'GET /api/v1/pilots/[slug]/decisions.csv': { expected: api(denied('outsider', 'ingestKey')) },
	'GET /api/v1/pilots/[slug]/report.csv': { expected: api(denied('outsider', 'ingestKey')) },
	'GET /api/v1/pilots/[slug]/report.json': { expected: api(denied('outsider', 'ingestKey')) },
	'GET /api/v1/audit.csv': {
		expected: api(denied('owner', 'member', 'outsider', 'ingestKey', 'readKey'))
	},
	'PUT /api/v1/pilots/[slug]/baseline/[metricKey]': { expected: api(ownerApi) },
	'POST /api/v1/pilots/[slug]/decisions': {
		expected: api({
			admin: 415,
			leadership: 415,
			owner: 415,
			adminKey: 415,
			...denied('member', 'outsider', 'ingestKey', 'readKey')
		})
	},
	'GET /api/v1/pilots/[slug]/evaluations': { expected: api(denied('outsider', 'ingestKey')) },
	'POST /api/v1/pilots/[slug]/evaluations': {
		expected: api({
			admin: 415,
			owner: 415,
			member: 415,
			ingestKey: 415,
			adminKey: 415,
			...denied('leadership', 'outsider', 'readKey')
		})
	},
	// Webhooks: owners register for their pilots, admins for any or all; a caller sees only
	// the endpoints they manage, so an id they do not manage is unknown (404) to them.
	'GET /api/v1/webhooks': { expected: api({}) },
	'POST /api/v1/webhooks': { expected: api(ownerApi) },
	'GET /api/v1/webhooks/[id]': { expected: { ...everyone(404), anonymous: 401 } },
	'DELETE /api/v1/webhooks/[id]': { expected: { ...everyone(404), anonymous: 401 } },
	'POST /api/v1/webhooks/[id]/test': { expected: { ...everyone(404), anonymous: 401 } },
	'POST /api/v1/pilots/[slug]/events': {
		expected: api({
			admin: 415,
			owner: 415,
			member: 415,
			ingestKey: 415,
			adminKey: 415,
			...denied('leadership', 'outsider', 'readKey')
		})
	}
};

/** Every page, form action and endpoint method under src/routes, as "METHOD /route?/action". */
function enumerateRoutes(root = 'src/routes'): string[] {
	const found: string[] = [];
	const walk = (dir: string): void => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) {
				walk(path);
				continue;
			}
			const route = '/' + relative(root, dir).split('\\').join('/');
			const id = route === '/' ? '/' : route.replace(/\/$/, '');
			const source = readFileSync(path, 'utf8');
			if (name === '+page.svelte') found.push(`GET ${id}`);
			if (name === '+page.server.ts') {
				const actions = /export const actions[^=]*=\s*\{([\s\S]*)\};?\s*$/.exec(source)?.[1] ?? '';
				for (const match of actions.matchAll(/^\t(\w+):/gm)) found.push(`POST ${id}?/${match[1]}`);
				if (!source.includes('+page.svelte') && !existsBeside(dir, '+page.svelte'))
					found.push(`GET ${id}`);
			}
			if (name === '+server.ts') {
				for (const match of source.matchAll(
					/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g
				)) {
					found.push(`${match[1]} ${id}`);
				}
			}
		}
	};
	walk(root);
	return [...new Set(found)].sort();
}

function existsBeside(dir: string, name: string): boolean {
	return readdirSync(dir).includes(name);
}

const dir = tempDir();
let server: RunningServer;
const cookies: Partial<Record<Caller, string>> = {};
const keys: Partial<Record<Caller, string>> = {};

/** A second session for a signed-in caller, to be ended without ending the matrix's. */
function freshSession(caller: Caller): Promise<string> {
	if (caller === 'outsider') return signIn(server.url, outsider.email, outsider.password);
	const role = caller as keyof typeof password;
	return signIn(server.url, `${role}@demo.pilot-impact.test`, password[role]);
}

function newKeyFrom(html: string): string {
	const key = /data-testid="new-key"[^>]*>([^<]+)</.exec(html)?.[1];
	if (!key) throw new Error('No key in the answer');
	return key;
}

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'matrix.db') });
	for (const role of ['admin', 'leadership', 'owner', 'member'] as const) {
		cookies[role] = await signIn(server.url, `${role}@demo.pilot-impact.test`, password[role]);
	}
	const admin = client(server.url, cookies.admin!);
	const created = await admin.post('/admin/users?/createUser', {
		email: outsider.email,
		name: 'Olga Outsider',
		role: 'user',
		password: outsider.password
	});
	expect(created.status).toBe(200);
	const owner = client(server.url, cookies.owner!);
	// The outsider is a member of another pilot, not of the one under test.
	expect(
		(
			await owner.post('/pilots/internal-faq-answers?/setMember', {
				email: outsider.email,
				role: 'member'
			})
		).status
	).toBe(200);
	cookies.outsider = await signIn(server.url, outsider.email, outsider.password);
	keys.ingestKey = newKeyFrom(
		await (
			await owner.post(`/pilots/${pilot}/data?/createKey`, { name: 'ingest job', scopes: 'ingest' })
		).text()
	);
	keys.readKey = newKeyFrom(
		await (
			await owner.post(`/pilots/${pilot}/data?/createKey`, { name: 'dashboard', scopes: 'read' })
		).text()
	);
	keys.adminKey = newKeyFrom(
		await (await admin.post('/admin/users?/createKey', { name: 'automation' })).text()
	);
}, 120_000);

afterAll(async () => {
	await server.stop();
	dir.remove();
});

async function call(
	method: string,
	path: string,
	caller: Caller,
	form: Record<string, string> | undefined,
	cookie = cookies[caller]
): Promise<Response> {
	const headers: Record<string, string> = { origin: server.url, accept: 'text/html' };
	if (cookie) headers.cookie = cookie;
	if (keys[caller]) headers.authorization = `Bearer ${keys[caller]}`;
	if (method === 'GET') return fetch(`${server.url}${path}`, { redirect: 'manual', headers });
	return fetch(`${server.url}${path}`, {
		method,
		redirect: 'manual',
		headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form ?? {})
	});
}

describe('role × route matrix', () => {
	test('every route under src/routes has a row, and every row a route', () => {
		expect(Object.keys(matrix).sort()).toEqual(enumerateRoutes());
	});

	const cells = Object.entries(matrix).flatMap(([route, { expected, form }]) =>
		callers.map((caller) => ({ route, caller, status: expected[caller], form }))
	);

	test.each(cells)('$route as $caller → $status', async ({ route, caller, status, form }) => {
		const [method, target] = route.split(' ');
		const path = target.replace('[slug]', pilot).replace('?/default', '');
		const signingOut = route === 'POST /logout?/default' && cookies[caller] !== undefined;
		const cookie = signingOut ? await freshSession(caller) : cookies[caller];
		const response = await call(method, path, caller, form, cookie);
		expect(response.status).toBe(status);
		if (signingOut) {
			expect(response.headers.get('location')).toBe('/login');
			// The session it was sent with is over; the caller's other sessions are not.
			expect((await call('GET', '/', caller, undefined, cookie)).status).toBe(303);
			expect((await call('GET', '/', caller, undefined)).status).toBe(200);
		}
		if (status === 303 && caller === 'anonymous' && route.startsWith('GET /pilots')) {
			expect(response.headers.get('location')).toBe(
				`/login?redirectTo=${encodeURIComponent(path)}`
			);
		}
		if (target.startsWith('/api/v1/pilots') && status >= 400) {
			expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		} else if (status === 403 && method === 'GET' && !/\.(json|csv)$/.test(target)) {
			// Pages explain the refusal; file downloads (CSV exports, report.json, report.csv) are
			// files, not pages: their refusal is SvelteKit's plain error page.
			expect(await response.text()).toContain('You do not have access to this');
		}
	});
});

describe('cross-pilot access', () => {
	test.each([
		['ingestKey', 'POST', '/api/v1/pilots/internal-faq-answers/events'],
		['readKey', 'GET', '/api/v1/pilots/internal-faq-answers/impact'],
		['readKey', 'GET', '/api/v1/pilots/internal-faq-answers'],
		['member', 'GET', '/api/v1/pilots/internal-faq-answers/impact'],
		['member', 'GET', '/pilots/internal-faq-answers']
	] as const)('%s of another pilot: %s %s → 403', async (caller, method, path) => {
		const response = await call(method, path, caller, {});
		expect(response.status).toBe(403);
	});
});

describe('webhooks of other pilots and company-wide ones', () => {
	// Real endpoints: one of a pilot the owner and the member are in, one of a pilot neither is
	// in, one for every pilot. A caller who does not manage one gets what an unknown id gets.
	const hooks: Record<'mine' | 'other' | 'company', number> = { mine: 0, other: 0, company: 0 };
	const adminApi = (path: string, body?: unknown): Promise<Response> =>
		fetch(`${server.url}/api/v1${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { authorization: `Bearer ${keys.adminKey}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});

	beforeAll(async () => {
		for (const [name, pilotSlug] of [
			['mine', pilot],
			['other', 'invoice-data-extraction'],
			['company', null]
		] as const) {
			const response = await adminApi('/webhooks', {
				// Nothing listens on port 9: a delivery sent by mistake goes nowhere.
				url: `http://127.0.0.1:9/${name}`,
				events: ['guardrail.breached'],
				...(pilotSlug ? { pilot: pilotSlug } : {})
			});
			expect(response.status, await response.clone().text()).toBe(201);
			hooks[name] = ((await response.json()) as { id: number }).id;
		}
	});

	const strangers: Caller[] = ['leadership', 'member', 'outsider', 'ingestKey', 'readKey', 'owner'];
	type Probe = { hook: keyof typeof hooks; caller: Caller; method: string; path: string };
	const probes: Probe[] = (['other', 'company'] as const).flatMap((hook) =>
		strangers.flatMap((caller) =>
			[
				['GET', `/api/v1/webhooks/{id}`],
				['DELETE', `/api/v1/webhooks/{id}`],
				['POST', `/api/v1/webhooks/{id}/test`],
				['POST', '/webhooks?/remove'],
				['POST', '/webhooks?/test']
			]
				// Pages take no API keys: the key callers are sent to sign in (the matrix above).
				.filter(([, path]) => !(path.startsWith('/webhooks') && caller.endsWith('Key')))
				.map(([method, path]) => ({ hook, caller, method, path }))
		)
	);
	// A member of the owner's pilot does not manage its endpoints either.
	for (const [method, path] of [
		['GET', `/api/v1/webhooks/{id}`],
		['DELETE', `/api/v1/webhooks/{id}`],
		['POST', `/api/v1/webhooks/{id}/test`],
		['POST', '/webhooks?/remove'],
		['POST', '/webhooks?/test']
	]) {
		probes.push({ hook: 'mine', caller: 'member', method, path });
	}

	test.each(probes)(
		'$caller: $method $path of the $hook webhook → 404, nothing changed',
		async ({ hook, caller, method, path }) => {
			const id = hooks[hook];
			const response = await call(method, path.replace('{id}', String(id)), caller, {
				id: String(id)
			});
			expect(response.status).toBe(404);
			const read = await adminApi(`/webhooks/${id}`);
			expect(read.status).toBe(200);
			expect(((await read.json()) as { deliveries: unknown[] }).deliveries).toEqual([]);
		}
	);

	test('the owner reads its pilot’s endpoint, and not the others in the list', async () => {
		expect((await call('GET', `/api/v1/webhooks/${hooks.mine}`, 'owner', {})).status).toBe(200);
		const listed = (await (await call('GET', '/api/v1/webhooks', 'owner', {})).json()) as {
			webhooks: { id: number }[];
		};
		const ids = listed.webhooks.map((w) => w.id);
		expect(ids).toContain(hooks.mine);
		expect(ids).not.toContain(hooks.other);
		expect(ids).not.toContain(hooks.company);
		const page = await (await call('GET', '/webhooks', 'owner', {})).text();
		expect(page).toContain('127.0.0.1:9/mine');
		expect(page).not.toContain('127.0.0.1:9/other');
		expect(page).not.toContain('127.0.0.1:9/company');
	});
});

describe('pilot tabs', () => {
	test.each([
		['owner', 'Data and API keys'],
		['member', 'Data'],
		['leadership', null]
	] as const)('%s sees the data tab as %s', async (role, label) => {
		const html = await (await client(server.url, cookies[role]!).get(`/pilots/${pilot}`)).text();
		const link = new RegExp(`href="[./]*/?pilots/${pilot}/data"[^>]*>([^<]*)</a`).exec(html)?.[1];
		const tab = link === undefined ? null : link.replace(/<!--.*?-->/g, '').trim();
		expect(tab).toBe(label);
	});
});
