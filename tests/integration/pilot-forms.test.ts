import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, client, signIn, testAdmin, type Client } from '../support/session';

// The pilot forms over real HTTP, as a browser without JavaScript would post them.

const dir = tempDir();
let server: RunningServer;
let admin: Client;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'forms.db'),
		env: { SEED_DEMO: 'false', ...adminEnv }
	});
	admin = client(server.url, await signIn(server.url, testAdmin.email, testAdmin.password));
});

afterAll(async () => {
	await server.stop();
	dir.remove();
});

const post = (path: string, fields: Record<string, string>): Promise<Response> =>
	admin.post(path, fields);

function pilotCount(): number {
	const db = new Database(server.databasePath, { readonly: true });
	try {
		return (db.prepare('select count(*) as n from pilots').get() as { n: number }).n;
	} finally {
		db.close();
	}
}

const valid = {
	name: 'Email triage assistant',
	process: 'Classify incoming support emails by urgency and area',
	timezone: 'Europe/Madrid'
};

describe('creating a pilot', () => {
	test('an invalid form answers 400, keeps what was typed, names the field, and stores nothing', async () => {
		const response = await post('/pilots/new', {
			...valid,
			process: 'short',
			name: 'Triage <b>x</b>'
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('Describe the one concrete process this pilot improves');
		expect(html).toContain('Triage &lt;b>x&lt;/b>');
		expect(pilotCount()).toBe(0);
	});

	test('a valid form creates the pilot and redirects to its page under a slug from the name', async () => {
		const response = await post('/pilots/new', valid);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/pilots/email-triage-assistant');
		const page = await (await admin.get('/pilots/email-triage-assistant')).text();
		expect(page).toContain('No business owner');
		expect(page).toContain('No ROI indicator chosen');
	});

	test('a duplicate name, in any case, gets a clear message and no second pilot', async () => {
		const response = await post('/pilots/new', { ...valid, name: 'EMAIL triage assistant' });
		expect(response.status).toBe(409);
		expect(await response.text()).toContain('already exists');
		expect(pilotCount()).toBe(1);
	});

	test('renaming keeps the slug stable', async () => {
		const response = await post('/pilots/email-triage-assistant/edit', {
			...valid,
			name: 'Support email triage'
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/pilots/email-triage-assistant');
		const page = await (await admin.get('/pilots/email-triage-assistant')).text();
		expect(page).toContain('Support email triage');
	});

	test('the working days before a silence alert: a bad number is named beside the field and nothing is saved', async () => {
		const stored = (): { name: string; silentDays: number | null; audits: number } => {
			const db = new Database(server.databasePath, { readonly: true });
			try {
				return db
					.prepare(
						`select p.name, s.silent_days as silentDays,
						   (select count(*) from audit_log where after like '%silentDays%') as audits
						 from pilots p left join alert_state s on s.pilot_id = p.id`
					)
					.get() as { name: string; silentDays: number | null; audits: number };
			} finally {
				db.close();
			}
		};
		const before = stored();
		const edit = await (await admin.get('/pilots/email-triage-assistant/edit')).text();
		expect(edit).toMatch(/name="silentDays"[^>]*value="2"|value="2"[^>]*name="silentDays"/);
		for (const value of ['0', '31', '2.5', 'two', '']) {
			const response = await post('/pilots/email-triage-assistant/edit', {
				...valid,
				name: 'Renamed with a bad number',
				silentDays: value
			});
			expect(response.status).toBe(400);
			const html = await response.text();
			expect(html).toMatch(
				/id="field-silentDays-error"[^>]*>Enter a whole number of working days from 1 to 30\.</
			);
			expect(html).toContain('aria-invalid="true"');
			expect(stored()).toEqual(before);
		}
		const saved = await post('/pilots/email-triage-assistant/edit', {
			...valid,
			name: 'Support email triage',
			silentDays: '7'
		});
		expect(saved.status).toBe(303);
		expect(stored()).toEqual({
			name: 'Support email triage',
			silentDays: 7,
			audits: before.audits + 1
		});
		const again = await (await admin.get('/pilots/email-triage-assistant/edit')).text();
		expect(again).toMatch(/name="silentDays"[^>]*value="7"|value="7"[^>]*name="silentDays"/);
	});

	test('a pilot cannot leave draft while the problem, ROI indicator and baseline window are missing', async () => {
		const response = await post('/pilots/email-triage-assistant?/stage', {
			action: 'begin-baseline'
		});
		expect(response.status).toBe(409);
		const html = await response.text();
		expect(html).toContain('No baseline window set');
		const db = new Database(server.databasePath, { readonly: true });
		const stage = db.prepare('select stage from pilots').get() as { stage: string };
		db.close();
		expect(stage.stage).toBe('draft');
	});

	test('an unknown pilot is a friendly 404 page', async () => {
		const response = await admin.get('/pilots/no-such-pilot');
		expect(response.status).toBe(404);
		const html = await response.text();
		expect(html).toContain('We could not find that page');
		expect(html).toContain('Back to the portfolio');
	});
});

describe('API errors', () => {
	test('an unknown API route answers 404 as problem+json, never HTML', async () => {
		const response = await fetch(`${server.url}/api/v1/no-such-endpoint`);
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect(await response.json()).toMatchObject({
			type: 'about:blank',
			title: 'Not found',
			status: 404
		});
	});
});
