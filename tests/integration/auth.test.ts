import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { client, signIn } from '../support/session';

// Sign-in, sessions, API keys and the audit log over real HTTP against the built server.

const dir = tempDir();
const initKey = 'pi_operator-chosen-key-for-automation-0123456789abcdef';
const admin = { email: 'root@example.com', password: 'admin passphrase 2026' };
// The test harness gives demo accounts known passwords (DEMO_PASSWORD); demo accounts exist
// only without INIT_ADMIN_*, so this server has the demo's admin, not an operator's own.
const owner = { email: 'owner@demo.pilot-impact.test', password: 'demo-owner-pass' };
const leadership = { email: 'leadership@demo.pilot-impact.test' };
const secrets: string[] = [owner.password, initKey, 'Wrong-Password-123'];
let server: RunningServer;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'auth.db'),
		env: { INIT_API_KEY: initKey }
	});
});

afterAll(async () => {
	await server.stop();
	dir.remove();
});

function login(fields: Record<string, string>, cookie?: string): Promise<Response> {
	return fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields)
	});
}

const sessionOf = (response: Response): string | undefined =>
	response.headers
		.getSetCookie()
		.find((c) => c.startsWith('pi_session=') && !c.startsWith('pi_session=;'));

function me(authorization: string): Promise<Response> {
	return fetch(`${server.url}/api/v1/me`, { headers: { authorization } });
}

describe('signing in', () => {
	test('the login page is a plain form with email and password posted to its default action', async () => {
		const html = await (await fetch(`${server.url}/login`)).text();
		expect(html).toMatch(/<form method="POST"/);
		expect(html).toContain('name="email"');
		expect(html).toContain('name="password"');
		expect(html).toContain('owner@demo.pilot-impact.test');
		// Which demo accounts exist, never a password.
		expect(html).not.toContain(owner.password);
		expect(html).not.toMatch(/demo-\w+-pass/);
	});

	test('a wrong password and an unknown email get the same message and no session', async () => {
		for (const fields of [
			{ email: owner.email, password: 'Wrong-Password-123' },
			{ email: 'nobody@example.com', password: 'Wrong-Password-123' }
		]) {
			const response = await login(fields);
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('Wrong email or password.');
			expect(sessionOf(response)).toBeUndefined();
		}
	});

	test('a body that is not the form it claims to be is a 400, not a 500', async () => {
		const response = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'multipart/form-data; boundary=xyz',
				origin: server.url,
				accept: 'text/html'
			},
			body: '--nope\r\ngarbage'
		});
		expect(response.status).toBe(400);
	});

	test('a session cookie is HttpOnly, SameSite=Lax, Path=/, expiring, and new at every sign-in', async () => {
		const first = await login(owner);
		expect(first.status).toBe(303);
		const cookie = sessionOf(first)!;
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).toMatch(/Path=\//);
		expect(cookie).toMatch(/Expires=/);
		const token = cookie.split(';')[0];

		const second = await login(owner, token);
		const rotated = sessionOf(second)!.split(';')[0];
		expect(rotated).not.toBe(token);
		// The session from before this sign-in is gone.
		expect((await client(server.url, token).get('/')).status).toBe(303);
		expect((await client(server.url, rotated).get('/')).status).toBe(200);
	});

	test('signing out ends the session at once', async () => {
		const cookie = await signIn(server.url, owner.email, owner.password);
		const signedIn = client(server.url, cookie);
		expect((await signedIn.get('/')).status).toBe(200);
		expect((await signedIn.post('/logout', {})).headers.get('location')).toBe('/login');
		expect((await signedIn.get('/')).status).toBe(303);
	});

	test('without a valid session a page sends you to sign in, and back to it afterwards', async () => {
		const response = await client(server.url, 'pi_session=expired-or-made-up').get(
			'/pilots/email-triage-assistant?tab=1'
		);
		expect(response.status).toBe(303);
		const location = response.headers.get('location')!;
		expect(location).toBe('/login?redirectTo=%2Fpilots%2Femail-triage-assistant%3Ftab%3D1');
		const back = await login({ ...owner, redirectTo: '/pilots/email-triage-assistant?tab=1' });
		expect(back.headers.get('location')).toBe('/pilots/email-triage-assistant?tab=1');
	});

	test('never redirects to another site after sign-in, and never fails on the target', async () => {
		const offSite = [
			'//evil.example/x',
			'https://evil.example',
			'/\\evil.example',
			// A tab or a line break is dropped by the browser: "/\t/host" is "//host".
			'/\t/127.0.0.1:3399/x',
			'/\t\\127.0.0.1:3399/x',
			'/\n/evil.example',
			'/\r\n\\evil.example'
		];
		for (const redirectTo of offSite) {
			expect((await login({ ...owner, redirectTo })).headers.get('location')).toBe('/');
		}
		const cookie = await signIn(server.url, owner.email, owner.password);
		for (const query of [
			'%2F%09%2F127.0.0.1%3A3399%2Fx',
			'%2F%09%5C127.0.0.1%3A3399%2Fx',
			'%2F%0A%2Fevil.example',
			'%2F%0D%0A%2Fevil.example'
		]) {
			const response = await client(server.url, cookie).get(`/login?redirectTo=${query}`);
			expect(response.status, query).toBe(303);
			expect(response.headers.get('location'), query).toBe('/');
		}
		// Characters a header cannot carry as they are come back percent-encoded, never a 500.
		for (const [query, location] of [
			['%2Fpilots%0Ax', '/pilotsx'],
			['%2Fevil%EF%BC%8Eexample', '/evil%EF%BC%8Eexample'],
			['%2Fpilots%2Fcaf%C3%A9', '/pilots/caf%C3%A9']
		]) {
			const response = await client(server.url, cookie).get(`/login?redirectTo=${query}`);
			expect(response.status, query).toBe(303);
			expect(response.headers.get('location'), query).toBe(location);
		}
	});
});

describe('API keys', () => {
	test('INIT_API_KEY is an admin key; an unknown key is 401 problem+json', async () => {
		expect(await (await me(`Bearer ${initKey}`)).json()).toMatchObject({
			type: 'api_key',
			scopes: ['admin']
		});
		const unknown = await me('Bearer pi_not-a-real-key');
		expect(unknown.status).toBe(401);
		expect(unknown.headers.get('content-type')).toBe('application/problem+json');
		expect(unknown.headers.get('www-authenticate')).toBe('Bearer');
		expect((await fetch(`${server.url}/api/v1/me`)).status).toBe(401);
	});

	test('a pilot key has pi_ and 256 random bits, is listed by prefix, and is refused at once when revoked', async () => {
		const owning = client(server.url, await signIn(server.url, owner.email, owner.password));
		const page = await (
			await owning.post('/pilots/email-triage-assistant/data?/createKey', {
				name: 'helpdesk export',
				scopes: 'ingest'
			})
		).text();
		const key = /data-testid="new-key"[^>]*>([^<]+)</.exec(page)![1];
		secrets.push(key);
		expect(key).toMatch(/^pi_[\w-]{43}$/);
		expect(Buffer.from(key.slice(3), 'base64url')).toHaveLength(32);
		expect(await (await me(`Bearer ${key}`)).json()).toMatchObject({
			scopes: ['ingest'],
			pilot: 'email-triage-assistant'
		});

		const listing = await (await owning.get('/pilots/email-triage-assistant/data')).text();
		expect(listing).toContain(`${key.slice(0, 11)}…`);
		expect(listing).not.toContain(key);

		const db = new Database(server.databasePath, { readonly: true });
		const { id } = db.prepare('select id from api_keys where name = ?').get('helpdesk export') as {
			id: number;
		};
		db.close();
		await owning.post('/pilots/email-triage-assistant/data?/revokeKey', { id: String(id) });
		expect((await me(`Bearer ${key}`)).status).toBe(401);
	});

	test('a key never rides on a session, and a session call from another site is refused', async () => {
		const cookie = await signIn(server.url, owner.email, owner.password);
		const viaKey = await fetch(`${server.url}/api/v1/me`, {
			headers: { cookie, authorization: 'Bearer pi_wrong' }
		});
		expect(viaKey.status).toBe(401);
		const crossSite = await fetch(`${server.url}/api/v1/me`, {
			method: 'POST',
			headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
			body: '{}'
		});
		expect(crossSite.status).toBe(403);
		expect(crossSite.headers.get('content-type')).toBe('application/problem+json');
	});
});

describe('headers', () => {
	test('pages carry a CSP without inline scripts, and no-sniff and framing headers', async () => {
		const cookie = await signIn(server.url, owner.email, owner.password);
		const response = await client(server.url, cookie).get('/');
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/script-src 'self' 'nonce-/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});
});

describe('the audit log', () => {
	test('records sign-ins, failures, sign-outs, refusals, keys, memberships and pilot changes, and no secret', async () => {
		const owning = client(server.url, await signIn(server.url, owner.email, owner.password));
		await owning.post('/pilots/email-triage-assistant?/setMember', {
			email: leadership.email,
			role: 'member'
		});
		await owning.post('/pilots/email-triage-assistant/edit', {
			name: 'Email triage assistant',
			process: 'Classify incoming support emails by urgency and responsible area',
			timezone: 'Europe/Madrid',
			// The pilot is running: its windows are locked and must come back unchanged.
			'baselineWindow.firstDay': '2026-09-01',
			'baselineWindow.lastDay': '2026-09-30',
			'pilotWindow.firstDay': '2026-10-01',
			'pilotWindow.lastDay': '2026-10-21',
			'charter.businessOwner': 'Laura Méndez'
		});
		await owning.get('/admin/users');

		const db = new Database(server.databasePath, { readonly: true });
		const actions = (
			db.prepare('select distinct action from audit_log').all() as { action: string }[]
		).map((r) => r.action);
		db.close();
		expect(actions).toEqual(
			expect.arrayContaining([
				'user.create',
				'api_key.create',
				'api_key.revoke',
				'login.success',
				'login.failure',
				'logout',
				'access.denied',
				'membership.add',
				'pilot.create',
				'pilot.update'
			])
		);

		const files = [server.databasePath, `${server.databasePath}-wal`].filter((f) => existsSync(f));
		const stored = files.map((f) => readFileSync(f).toString('latin1')).join('');
		for (const secret of secrets) {
			expect(stored.includes(secret), `database holds ${secret.slice(0, 6)}…`).toBe(false);
			// Demo passwords are shown once, in the start-up output, by design.
			if (secret === owner.password) continue;
			expect(server.output().includes(secret), `output holds ${secret.slice(0, 6)}…`).toBe(false);
		}
	});

	test('cannot be changed or deleted, even by SQL', () => {
		const db = new Database(server.databasePath);
		expect(() => db.prepare('delete from audit_log').run()).toThrow(/append-only/);
		expect(() => db.prepare("update audit_log set actor_label = 'someone else'").run()).toThrow(
			/append-only/
		);
		db.close();
	});
});

describe('throttling', () => {
	test('five failures for one account from one address slow it down: 429 with Retry-After, even for the right password', async () => {
		const target = { email: 'leadership@demo.pilot-impact.test', password: 'demo-leadership-pass' };
		for (let i = 0; i < 5; i++)
			expect((await login({ email: target.email, password: `nope-${i}-nope` })).status).toBe(400);
		const blocked = await login(target);
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await blocked.text()).toContain('Too many failed sign-ins');
		const db = new Database(server.databasePath, { readonly: true });
		const throttled = db
			.prepare("select count(*) as n from audit_log where action = 'login.throttled'")
			.get() as { n: number };
		db.close();
		expect(throttled.n).toBe(1);
	});
});

describe('outside localhost', () => {
	test('the session cookie is Secure', async () => {
		const https = await startServer({
			databasePath: join(dir.path, 'https.db'),
			env: {
				ORIGIN: 'https://pilots.example.test',
				SEED_DEMO: 'false',
				INIT_ADMIN_EMAIL: admin.email,
				INIT_ADMIN_PASSWORD: admin.password
			}
		});
		try {
			const response = await fetch(`${https.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: 'https://pilots.example.test',
					accept: 'text/html'
				},
				body: new URLSearchParams(admin)
			});
			expect(response.status).toBe(303);
			expect(sessionOf(response)).toMatch(/; Secure/);
		} finally {
			await https.stop();
		}
	});
});
