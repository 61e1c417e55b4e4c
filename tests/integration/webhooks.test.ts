import Database from 'better-sqlite3';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { client, signIn } from '../support/session';

// Alerts delivered to a real HTTP receiver on this machine: signed, retried until the receiver
// is back, once per change of state, and still delivered after the server is killed.

const key = 'pi_webhooks-test-admin-key-0123456789abc';
const dir = tempDir();
const databasePath = join(dir.path, 'webhooks.db');
/** Short retries and a fast loop, so a receiver that comes back is reached within a second. */
const fast = {
	INIT_API_KEY: key,
	ALERTS_POLL_MS: '100',
	WEBHOOK_RETRY_BASE_MS: '150',
	WEBHOOK_RETRY_MAX_MS: '500',
	WEBHOOK_TIMEOUT_MS: '2000',
	// the 1,000 report reads come from one key
	API_RATE_LIMIT: '100000',
	API_RATE_BURST: '100000'
};
const plan = JSON.parse(readFileSync('tests/fixtures/cli/plan.json', 'utf8'));

interface Received {
	headers: IncomingHttpHeaders;
	body: string;
}

/** A webhook receiver that records what it gets; it can be taken down and brought back. */
class Receiver {
	received: Received[] = [];
	private server: Server | null = null;
	port = 0;
	get url(): string {
		return `http://127.0.0.1:${this.port}/hook`;
	}
	async up(): Promise<void> {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (c: Buffer) => chunks.push(c));
			request.on('end', () => {
				this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
				response.writeHead(204).end();
			});
		});
		await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}
	async down(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((done) => server.close(() => done()));
	}
	of(type: string, slug: string): Received[] {
		return this.received.filter((r) => {
			const body = JSON.parse(r.body) as { type: string; pilot: { slug: string } };
			return body.type === type && body.pilot.slug === slug;
		});
	}
}

/** The verification recipe of README.md ("Webhooks"), written out as a receiver would. */
function verify(secret: string, rawBody: string, header: string, now = Date.now()): boolean {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
	const t = Number(parts.t);
	if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300) return false;
	const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
	const given = Buffer.from(parts.v1 ?? '', 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Polls `probe` until it gives something (an empty list is nothing). */
async function until<T>(
	what: string,
	probe: () => T | null | Promise<T | null>,
	ms = 15_000
): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value && !(Array.isArray(value) && value.length === 0)) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let server: RunningServer;
const receiver = new Receiver();

function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
	return fetch(`${server.url}/api/v1${path}`, {
		method: init.method ?? 'GET',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
}

async function createPilot(slug: string): Promise<void> {
	const response = await api('/pilots', {
		method: 'POST',
		body: { ...plan, slug, name: `Alerts ${slug}` }
	});
	expect(response.status, await response.clone().text()).toBe(201);
}

async function register(
	slug: string | null,
	events: string[]
): Promise<{ id: number; secret: string }> {
	const response = await api('/webhooks', {
		method: 'POST',
		body: { url: receiver.url, events, ...(slug ? { pilot: slug } : {}) }
	});
	expect(response.status, await response.clone().text()).toBe(201);
	return (await response.json()) as { id: number; secret: string };
}

/** Baseline events with 10% errors and pilot events that are all errors: a breached guardrail. */
async function breach(slug: string): Promise<void> {
	const events = [];
	for (let i = 0; i < 40; i++) {
		const day = String(2 + (i % 20)).padStart(2, '0');
		events.push({
			id: `b-${i}`,
			occurredAt: `2026-09-${day}T09:00:00+02:00`,
			measures: { handling_minutes: 14 + (i % 5), error: i % 10 === 0 ? 1 : 0 }
		});
		events.push({
			id: `p-${i}`,
			occurredAt: `2026-10-${day}T09:00:00+02:00`,
			measures: { handling_minutes: 9 + (i % 5), error: 1 }
		});
	}
	const response = await api(`/pilots/${slug}/events`, { method: 'POST', body: { events } });
	expect(response.status, await response.clone().text()).toBe(200);
}

interface Delivery {
	id: string;
	status: string;
	attempts: number;
	type: string;
}

async function deliveries(id: number): Promise<Delivery[]> {
	const response = await api(`/webhooks/${id}`);
	expect(response.status).toBe(200);
	return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

beforeAll(async () => {
	await receiver.up();
	server = await startServer({ databasePath, env: fast });
});
afterAll(async () => {
	await server.stop();
	await receiver.down();
	dir.remove();
});

describe('webhooks', () => {
	test('registering: the secret is shown once; plain http only to loopback', async () => {
		await createPilot('alerts-register');
		const created = await register('alerts-register', ['guardrail.breached']);
		expect(created.secret).toMatch(/^whsec_/);
		const read = await (await api(`/webhooks/${created.id}`)).json();
		expect(read).not.toHaveProperty('secret');
		expect(JSON.stringify(await (await api('/webhooks')).json())).not.toContain(created.secret);
		const plain = await api('/webhooks', {
			method: 'POST',
			body: { url: 'http://hooks.example.com/x', events: ['data.silent'] }
		});
		expect(plain.status).toBe(422);
		expect(server.output()).not.toContain(created.secret);
		expect((await api(`/webhooks/${created.id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await api(`/webhooks/${created.id}`)).status).toBe(404);
	});

	test('a breached guardrail produces exactly one signed delivery that the recipe verifies', async () => {
		await createPilot('alerts-breach');
		const hook = await register('alerts-breach', ['guardrail.breached']);
		await breach('alerts-breach');
		const [got] = await until('the delivery', () =>
			receiver.of('guardrail.breached', 'alerts-breach')
		);
		const body = JSON.parse(got.body);
		expect(body).toMatchObject({
			type: 'guardrail.breached',
			pilot: {
				slug: 'alerts-breach',
				name: 'Alerts alerts-breach',
				url: `${server.url}/pilots/alerts-breach`
			},
			data: { metric: 'error_rate', status: 'breached', pilot: { n: 40, value: 1 } }
		});
		expect(body.id).toBe(got.headers['pilot-impact-delivery']);
		const signature = String(got.headers['pilot-impact-signature']);
		expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		expect(verify(hook.secret, got.body, signature)).toBe(true);
		// Tampered: another body, another secret or an altered signature fails.
		expect(verify(hook.secret, got.body.replace('breached', 'recovered'), signature)).toBe(false);
		expect(verify(`${hook.secret}x`, got.body, signature)).toBe(false);
		expect(
			verify(
				hook.secret,
				got.body,
				signature.replace(/v1=(.)/, (_, c) => `v1=${c === '0' ? '1' : '0'}`)
			)
		).toBe(false);
		await sleep(1000);
		expect(receiver.of('guardrail.breached', 'alerts-breach')).toHaveLength(1);
		const log = await deliveries(hook.id);
		expect(log).toMatchObject([
			{ id: body.id, status: 'delivered', attempts: 1, type: 'guardrail.breached' }
		]);
	});

	test('1,000 report reads of an unchanged pilot send nothing', async () => {
		const hook = await register('alerts-breach', [
			'guardrail.breached',
			'guardrail.recovered',
			'recommendation.changed',
			'gate.failing',
			'data.silent',
			'decision.due'
		]);
		const before = receiver.received.length;
		for (let i = 0; i < 1000; i++) {
			const response = await api('/pilots/alerts-breach/impact');
			expect(response.status).toBe(200);
			await response.arrayBuffer();
		}
		await sleep(500);
		expect(await deliveries(hook.id)).toEqual([]);
		expect(receiver.received.length).toBe(before);
	});

	test('a receiver down for a while gets the delivery after it is back, once per id', async () => {
		await createPilot('alerts-down');
		const hook = await register('alerts-down', ['guardrail.breached']);
		await receiver.down();
		await breach('alerts-down');
		const [pending] = await until('failed attempts', async () => {
			const log = await deliveries(hook.id);
			return log.length === 1 && log[0].attempts >= 3 ? log : null;
		});
		expect(pending.status).toBe('pending');
		await receiver.up();
		const [got] = await until('the delivery after recovery', () =>
			receiver.of('guardrail.breached', 'alerts-down')
		);
		expect(JSON.parse(got.body).id).toBe(pending.id);
		expect(verify(hook.secret, got.body, String(got.headers['pilot-impact-signature']))).toBe(true);
		await sleep(1000);
		expect(receiver.of('guardrail.breached', 'alerts-down')).toHaveLength(1);
		expect(await deliveries(hook.id)).toMatchObject([{ id: pending.id, status: 'delivered' }]);
	});

	test('an endpoint that answers 410 Gone is disabled', async () => {
		const gone = createServer((_, response) => response.writeHead(410).end());
		await new Promise<void>((done) => gone.listen(0, '127.0.0.1', done));
		const port = (gone.address() as { port: number }).port;
		const created = await api('/webhooks', {
			method: 'POST',
			body: {
				url: `http://127.0.0.1:${port}/gone`,
				events: ['guardrail.breached'],
				pilot: 'alerts-breach'
			}
		});
		const { id } = (await created.json()) as { id: number };
		expect((await api(`/webhooks/${id}/test`, { method: 'POST' })).status).toBe(202);
		await until(
			'the endpoint disabled',
			async () => (await (await api(`/webhooks/${id}`)).json()).disabledAt
		);
		expect(await deliveries(id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
		gone.close();
	});

	test('in the app: an unread badge, the notification list, and webhook settings with a test', async () => {
		const cookie = await signIn(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
		const admin = { ...client(server.url, cookie), cookie };
		const home = await (await admin.get('/')).text();
		expect(home).toMatch(/data-testid="unread-badge"[^>]*>\d+/);
		const list = await (await admin.get('/notifications')).text();
		expect(list).toContain('Alerts alerts-breach');
		expect(list).toContain('Guardrail “Error rate” breached');
		expect((await admin.post('/notifications?/markRead', {})).status).toBe(200);
		expect(await (await admin.get('/')).text()).not.toContain('data-testid="unread-badge"');
		// Per-user settings: an alert type left unticked leaves the list.
		const settings = await fetch(`${server.url}/notifications?/settings`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: admin.cookie,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'types=recommendation.changed&types=data.silent'
		});
		expect(settings.status).toBe(200);
		expect(await (await admin.get('/notifications')).text()).not.toContain(
			'Guardrail “Error rate” breached'
		);

		const created = await admin.post('/webhooks?/create', {
			url: receiver.url,
			events: 'decision.due',
			pilot: 'alerts-breach',
			format: 'json'
		});
		expect(created.status).toBe(200);
		const secret = /data-testid="webhook-secret">([^<]+)</.exec(await created.text())?.[1];
		expect(secret).toMatch(/^whsec_/);
		const { webhooks } = (await (await api('/webhooks')).json()) as {
			webhooks: { id: number; events: string[] }[];
		};
		const hook = webhooks.find((w) => w.events.join() === 'decision.due')!;
		expect((await admin.post('/webhooks?/test', { id: String(hook.id) })).status).toBe(200);
		const [got] = await until('the test delivery', () =>
			receiver.of('webhook.test', 'alerts-breach')
		);
		expect(verify(secret!, got.body, String(got.headers['pilot-impact-signature']))).toBe(true);
		const digest = await admin.get('/digest');
		expect(digest.status).toBe(200);
		const digestPage = await digest.text();
		expect(digestPage).toContain('Alerts alerts-breach');
		expect(digestPage).toContain('Guardrail “Error rate” breached');
		const page = await (await admin.get('/webhooks')).text();
		expect(page).toContain('webhook.test');
		expect(page).not.toContain(secret!);
	});

	test('a pilot’s working days before data.silent: PATCH takes a whole number from 1 to 30, nothing else', async () => {
		await createPilot('alerts-settings');
		const read = async (): Promise<number> =>
			((await (await api('/pilots/alerts-settings')).json()) as { silentDays: number }).silentDays;
		expect(await read()).toBe(2);
		for (const body of [
			{ silentDays: 0 },
			{ silentDays: 31 },
			{ silentDays: 2.5 },
			{ silentDays: '3' },
			{ silentDays: 3, other: true },
			{}
		]) {
			const response = await api('/pilots/alerts-settings', { method: 'PATCH', body });
			expect(response.status, JSON.stringify(body)).toBe(422);
			expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			const problem = (await response.json()) as { errors: { path: string; message: string }[] };
			expect(problem.errors.length).toBeGreaterThan(0);
		}
		const [first] = (
			(await (
				await api('/pilots/alerts-settings', { method: 'PATCH', body: { silentDays: 0 } })
			).json()) as { errors: { path: string; message: string }[] }
		).errors;
		expect(first).toEqual({
			path: 'silentDays',
			message: 'a whole number of working days from 1 to 30'
		});
		expect(await read()).toBe(2);
		const saved = await api('/pilots/alerts-settings', {
			method: 'PATCH',
			body: { silentDays: 9 }
		});
		expect(saved.status).toBe(200);
		expect(((await saved.json()) as { silentDays: number }).silentDays).toBe(9);
		expect(await read()).toBe(9);
		// A PUT of the definition without the field leaves it as it is.
		const put = await api('/pilots/alerts-settings', {
			method: 'PUT',
			body: { ...plan, slug: 'alerts-settings', name: 'Alerts alerts-settings' }
		});
		expect(put.status, await put.clone().text()).toBe(200);
		expect(await read()).toBe(9);
		const audit = new Database(databasePath, { readonly: true });
		const changes = audit
			.prepare(
				`SELECT before, after FROM audit_log WHERE action = 'pilot.update' AND target_id = 'alerts-settings'`
			)
			.all() as { before: string; after: string }[];
		audit.close();
		expect(changes.map((c) => [JSON.parse(c.before), JSON.parse(c.after)])).toEqual([
			[{ silentDays: 2 }, { silentDays: 9 }]
		]);
	});

	test('a pilot without events for the set working days alerts once, signed, and never again for that silence', async () => {
		const day = 86_400_000;
		const at = (offset: number): string => new Date(Date.now() + offset * day).toISOString();
		const windows = {
			baselineWindow: { start: at(-90), end: at(-60) },
			pilotWindow: { start: at(-30), end: at(30) }
		};
		const hooks: Record<string, { id: number; secret: string }> = {};
		for (const slug of ['alerts-silent', 'alerts-patient']) {
			const created = await api('/pilots', {
				method: 'POST',
				body: { ...plan, ...windows, slug, name: `Alerts ${slug}` }
			});
			expect(created.status, await created.clone().text()).toBe(201);
			hooks[slug] = await register(slug, ['data.silent']);
			const sent = await api(`/pilots/${slug}/events`, {
				method: 'POST',
				body: {
					events: [
						{ id: 'recent', occurredAt: at(-0.01), measures: { handling_minutes: 9, error: 0 } }
					]
				}
			});
			expect(sent.status, await sent.clone().text()).toBe(200);
		}
		// The patient pilot waits 12 working days, more than the silence below.
		expect(
			(await api('/pilots/alerts-patient', { method: 'PATCH', body: { silentDays: 12 } })).status
		).toBe(200);
		await server.stop();
		// Ten days without events (at least five working days), with the pilots running.
		const db = new Database(databasePath);
		for (const slug of ['alerts-silent', 'alerts-patient']) {
			db.prepare(`UPDATE pilots SET stage = 'running' WHERE slug = ?`).run(slug);
			db.prepare(
				`UPDATE alert_state SET last_event_at = ? WHERE pilot_id = (SELECT id FROM pilots WHERE slug = ?)`
			).run(at(-10), slug);
		}
		db.close();
		server = await startServer({ databasePath, env: { ...fast, ALERTS_TICK_MS: '200' } });
		const [got] = await until('the silence alert', () =>
			receiver.of('data.silent', 'alerts-silent')
		);
		expect(
			verify(hooks['alerts-silent'].secret, got.body, String(got.headers['pilot-impact-signature']))
		).toBe(true);
		const body = JSON.parse(got.body) as { data: Record<string, unknown> };
		expect(body.data).toMatchObject({ lastEventAt: expect.any(String), silentDays: 2 });
		expect(body.data.workingDays).toBeGreaterThanOrEqual(5);
		// Many ticks later (and a restart), the same silence has sent nothing more.
		await sleep(1500);
		await server.stop();
		server = await startServer({ databasePath, env: { ...fast, ALERTS_TICK_MS: '200' } });
		await sleep(1500);
		expect(receiver.of('data.silent', 'alerts-silent')).toHaveLength(1);
		expect(await deliveries(hooks['alerts-silent'].id)).toMatchObject([
			{ type: 'data.silent', status: 'delivered', attempts: 1 }
		]);
		// The patient pilot's 12 days have not passed; at 3 they have, and it alerts within a second.
		expect(receiver.of('data.silent', 'alerts-patient')).toEqual([]);
		expect(
			(await api('/pilots/alerts-patient', { method: 'PATCH', body: { silentDays: 3 } })).status
		).toBe(200);
		const [patient] = await until('the patient pilot’s alert', () =>
			receiver.of('data.silent', 'alerts-patient')
		);
		expect(JSON.parse(patient.body).data).toMatchObject({ silentDays: 3 });
		await sleep(1000);
		expect(receiver.of('data.silent', 'alerts-patient')).toHaveLength(1);
	});

	test('a server killed with SIGKILL after a change and before its delivery still delivers after restart', async () => {
		await createPilot('alerts-crash');
		const hook = await register('alerts-crash', ['guardrail.breached']);
		await server.stop();
		// A loop that never comes round again after start-up: the change is stored, marked,
		// and neither evaluated nor sent before the kill.
		server = await startServer({ databasePath, env: { ...fast, ALERTS_POLL_MS: '600000' } });
		await sleep(300);
		await breach('alerts-crash');
		await sleep(300);
		expect(await deliveries(hook.id)).toEqual([]);
		expect(await server.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
		server = await startServer({ databasePath, env: fast });
		const [got] = await until('the delivery after restart', () =>
			receiver.of('guardrail.breached', 'alerts-crash')
		);
		expect(verify(hook.secret, got.body, String(got.headers['pilot-impact-signature']))).toBe(true);
		await sleep(1000);
		expect(receiver.of('guardrail.breached', 'alerts-crash')).toHaveLength(1);
	});
});
