import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { client, signIn } from '../support/session';

// The low-severity findings of issue 15 (item 8) and the downloads for API keys, against the
// built server with the demo portfolio.

const key = 'pi_account-security-admin-key-0123456789abcdef';
const pilot = 'email-triage-assistant';
const member = { email: 'member@demo.pilot-impact.test', password: 'demo-member-pass' };

let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
	dir = tempDir();
	server = await startServer({
		databasePath: join(dir.path, 'data', 'account.db'),
		env: { INIT_API_KEY: key, API_RATE_LIMIT: '0' }
	});
	// Demo accounts exist without INIT_ADMIN_*; the harness gives them known passwords.
	admin = client(
		server.url,
		await signIn(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass')
	);
});
afterAll(async () => {
	await server?.stop();
	dir?.remove();
});

const api = (path: string, bearer: string = key, init: RequestInit = {}) =>
	fetch(`${server.url}/api/v1${path}`, {
		...init,
		headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) }
	});

async function createUser(email: string, role: string, password: string): Promise<number> {
	const response = await admin.post('/admin/users?/createUser', {
		email,
		name: email.split('@')[0],
		role,
		password
	});
	expect(response.status).toBe(200);
	return userId(email);
}

function query<T>(sql: string, ...params: unknown[]): T[] {
	const db = new Database(server.databasePath, { readonly: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}
const userId = (email: string): number =>
	query<{ id: number }>('SELECT id FROM users WHERE email = ?', email)[0].id;

describe('responses', () => {
	test('signed-in pages are private and not stored; the database file is the owner’s', async () => {
		const page = await admin.get('/');
		expect(page.status).toBe(200);
		expect(page.headers.get('cache-control')).toBe('private, no-store');
		expect((await admin.get(`/pilots/${pilot}`)).headers.get('cache-control')).toBe(
			'private, no-store'
		);
		// No HSTS over plain http.
		expect(page.headers.get('strict-transport-security')).toBeNull();
		expect(statSync(server.databasePath).mode & 0o777).toBe(0o600);
		expect(statSync(join(dir.path, 'data')).mode & 0o777).toBe(0o700);
	});
});

describe('behind https, with a weak INIT_API_KEY', () => {
	let secure: RunningServer;
	let secureDir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		secureDir = tempDir();
		secure = await startServer({
			databasePath: join(secureDir.path, 'secure.db'),
			env: { SEED_DEMO: 'false', ORIGIN: 'https://pilots.example.test', INIT_API_KEY: 'pi_short' }
		});
	});
	afterAll(async () => {
		await secure?.stop();
		secureDir?.remove();
	});

	test('pages carry HSTS', async () => {
		const response = await fetch(`${secure.url}/login`);
		expect(response.headers.get('strict-transport-security')).toBe(
			'max-age=31536000; includeSubDomains'
		);
	});

	test('the short key is refused at start-up and never works', async () => {
		expect(secure.output()).toMatch(/INIT_API_KEY was not created: it has 8 characters/);
		const response = await fetch(`${secure.url}/api/v1/me`, {
			headers: { authorization: 'Bearer pi_short' }
		});
		expect(response.status).toBe(401);
	});
});

describe('API keys live with their maker', () => {
	test('a disabled or demoted admin’s key stops working', async () => {
		const email = 'second-admin@tests.pilot-impact.test';
		const password = 'second admin passphrase';
		const id = await createUser(email, 'admin', password);
		const second = client(server.url, await signIn(server.url, email, password));
		const html = await (await second.post('/admin/users?/createKey', { name: 'nightly' })).text();
		const made = /data-testid="new-key"[^>]*>([^<]+)</.exec(html)![1];
		expect((await api('/me', made)).status).toBe(200);

		const change = (fields: Record<string, string>) =>
			admin.post('/admin/users?/changeUser', { userId: String(id), ...fields });
		expect((await change({ disabled: 'true' })).status).toBe(200);
		expect((await api('/me', made)).status).toBe(401);
		expect((await change({ disabled: 'false' })).status).toBe(200);
		expect((await api('/me', made)).status).toBe(200);
		expect((await change({ role: 'leadership' })).status).toBe(200);
		expect((await api('/me', made)).status).toBe(401);
	});
});

describe('changing one’s own password', () => {
	const email = 'changer@tests.pilot-impact.test';
	const first = 'first passphrase 1';
	const second = 'second passphrase 2';

	test('new accounts refuse trivial passwords', async () => {
		for (const password of ['aaaaaaaa', '        ', 'abababababab']) {
			const response = await admin.post('/admin/users?/createUser', {
				email: 'trivial@tests.pilot-impact.test',
				name: 'Trivial',
				role: 'user',
				password
			});
			expect(response.status).toBe(400);
		}
	});

	test('needs the current password, refuses trivial ones beside the field, and is audited', async () => {
		await createUser(email, 'user', first);
		const own = client(server.url, await signIn(server.url, email, first));
		const page = await own.get('/account');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Change your password');

		const change = (current: string, next: string, confirm = next) =>
			own.post('/account?/password', { current, next, confirm });
		const trivial = await change(first, 'aaaaaaaa');
		expect(trivial.status).toBe(400);
		const trivialPage = await trivial.text();
		expect(trivialPage).toMatch(/id="field-next-error"[^>]*>[^<]*different characters/);
		expect(trivialPage).not.toContain(first);
		expect((await change(first, '        ')).status).toBe(400);
		const wrong = await change('not my password', second);
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toMatch(/id="field-current-error"[^>]*>This is not your current/);
		expect((await change(first, second, 'something else')).status).toBe(400);

		const done = await change(first, second);
		expect(done.status).toBe(200);
		expect(await done.text()).toContain('Your password was changed.');
		await expect(signIn(server.url, email, first)).rejects.toThrow(/failed/);
		await signIn(server.url, email, second);
		const rows = query<{ action: string; actor_label: string; before: null; after: null }>(
			"SELECT action, actor_label, before, after FROM audit_log WHERE action = 'user.password_change' AND target_label = ?",
			email
		);
		expect(rows).toEqual([
			{ action: 'user.password_change', actor_label: email, before: null, after: null }
		]);
	});
});

describe('downloads', () => {
	test('CSV and report downloads answer API keys under /api/v1', async () => {
		for (const path of ['events.csv', 'decisions.csv', 'report.csv']) {
			const response = await api(`/pilots/${pilot}/${path}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		}
		const report = await api(`/pilots/${pilot}/report.json`);
		expect((await report.json()).pilot.slug).toBe(pilot);
		const audit = await api('/audit.csv');
		expect(audit.status).toBe(200);
		expect((await audit.text()).split('\r\n')[0]).toMatch(/^at,actor_type,actor,action/);
		expect((await api(`/pilots/${pilot}/events.csv`, 'pi_unknown-key-0123456789')).status).toBe(
			401
		);
	});

	test('events.csv offers a spreadsheet-safe variant beside the round-trip one', async () => {
		const formula = '=HYPERLINK("http://example.test","x")';
		const sent = await api(`/pilots/${pilot}/events`, key, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify([
				{
					id: formula,
					occurredAt: '2026-10-20T09:00:00Z',
					segment: '@risky',
					measures: {}
				}
			])
		});
		expect(sent.status).toBe(200);
		const roundTrip = await (await api(`/pilots/${pilot}/events.csv`)).text();
		expect(roundTrip).toContain('"=HYPERLINK(""http://example.test"",""x"")",');
		expect(roundTrip).toContain(',@risky,');
		const safe = await api(`/pilots/${pilot}/events.csv?variant=spreadsheet`);
		expect(safe.headers.get('content-disposition')).toContain(`${pilot}-events-spreadsheet.csv`);
		const text = await safe.text();
		expect(text).toContain(`"'=HYPERLINK(""http://example.test"",""x"")",`);
		expect(text).toContain(",'@risky,");
		expect(text).not.toMatch(/^[=+\-@]/m);
		expect((await api(`/pilots/${pilot}/events.csv?variant=excel`)).status).toBe(400);
		// The data page offers both.
		const dataPage = await (await admin.get(`/pilots/${pilot}/data`)).text();
		expect(dataPage).toMatch(/<a href="[^"]*events\.csv" download/);
		expect(dataPage).toMatch(
			/action="[^"]*events\.csv"[^>]*>\s*<input type="hidden" name="variant" value="spreadsheet"/
		);
	});
});

describe('the History tab', () => {
	test('members do not receive other people’s refused attempts or addresses', async () => {
		const outsiderEmail = 'curious@tests.pilot-impact.test';
		await createUser(outsiderEmail, 'user', 'curious passphrase');
		const outsider = client(
			server.url,
			await signIn(server.url, outsiderEmail, 'curious passphrase')
		);
		expect((await outsider.get(`/pilots/${pilot}`)).status).toBe(403);

		const memberClient = client(
			server.url,
			await signIn(server.url, member.email, member.password)
		);
		const data = await (await memberClient.get(`/pilots/${pilot}/history/__data.json`)).text();
		expect(data).toContain('pilot.create');
		expect(data).not.toContain(outsiderEmail);
		expect(data).not.toContain('access.denied');
		expect(data).not.toContain('127.0.0.1');
		expect(data).not.toContain('address');

		const adminData = await (await admin.get(`/pilots/${pilot}/history/__data.json`)).text();
		expect(adminData).toContain(outsiderEmail);
		expect(adminData).not.toContain('127.0.0.1');
	});
});

describe('demo decisions', () => {
	test('link to the report they rested on', async () => {
		for (const slug of ['invoice-data-extraction', 'call-summaries-to-crm']) {
			const html = await (await admin.get(`/pilots/${slug}/decisions`)).text();
			expect(html).toContain('Report as it was at the decision');
			expect(html).not.toContain('no report was kept');
		}
	});
});
