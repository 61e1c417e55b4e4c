import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request, Agent } from 'node:http';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, client, signIn, testAdmin } from '../support/session';
import { createPilot } from '../support/reliability/api';
import { fixturePlan } from '../support/reliability/model';

// What the fuzzer found, pinned as plain cases so they stay fixed whatever seed runs.

const key = 'pi_hostile-input-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'hostile.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0', ...adminEnv }
	});
	await createPilot({ url: server.url, key }, 'hostile');
});
afterAll(async () => {
	await server?.stop();
	dir.remove();
});

const count = async (table: string): Promise<number> =>
	(await server.database.query<{ n: number }>(`select count(*) as n from ${table}`))[0].n;

const api = (path: string, type: string, body: string): Promise<Response> =>
	fetch(`${server.url}/api/v1${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': type },
		body
	});

describe('hostile input, as found by fuzzing', () => {
	test('a JSON body sent as CSV is a 422 with the row error, not a 500', async () => {
		const response = await api('/pilots/hostile/events', 'text/csv', '{"events":[{"id":"a"}]}');
		expect(response.status).toBe(422);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect((await response.json()).errors[0].message).toMatch(/the CSV could not be read/);
		expect(await count('events')).toBe(0);
	});

	test('the NUL character in text is refused, never a 500, on either engine', async () => {
		const events = await api(
			'/pilots/hostile/events',
			'application/json',
			JSON.stringify([{ id: 'nul\u0000id', occurredAt: '2026-10-02T10:00:00Z', measures: {} }])
		);
		expect(events.status).toBe(422);
		expect((await events.json()).errors[0].message).toMatch(/NUL character/);
		expect(await count('events')).toBe(0);
		// Elsewhere SQLite stores it and PostgreSQL cannot: stored, or refused as a 400 problem.
		const pilot = await api(
			'/pilots',
			'application/json',
			JSON.stringify({ ...fixturePlan, slug: 'nul-in-name', name: 'NUL\u0000name' })
		);
		expect(pilot.status).toBeLessThan(500);
		if (pilot.status >= 400) {
			expect(pilot.headers.get('content-type')).toBe('application/problem+json');
		}
	});

	test('a form body sent to the API is a 415 problem, not a plain-text 403', async () => {
		const response = await api('/pilots/hostile/events', 'text/plain', 'id,occurred_at');
		expect(response.status).toBe(415);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
	});

	test('an evaluation run dated in the future or before 2000 is refused', async () => {
		for (const runAt of ['9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z']) {
			const response = await api(
				'/pilots/hostile/evaluations',
				'application/json',
				JSON.stringify({ name: 'v1', runAt, criteria: { correct: { passed: 9, total: 10 } } })
			);
			expect(response.status).toBe(422);
		}
		expect(await count('evaluation_runs')).toBe(0);
	});

	test('an admin key name longer than 80 characters is refused', async () => {
		const admin = client(server.url, await signIn(server.url, testAdmin.email, testAdmin.password));
		const keys = await count('api_keys');
		const response = await admin.post('/admin/users?/createKey', { name: 'x'.repeat(81) });
		expect(response.status).toBe(400);
		expect(await response.text()).toMatch(/under 80 characters/);
		expect(await count('api_keys')).toBe(keys);
	});

	test('an early answer to a large body reaches the client, and the connection stays usable', async () => {
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		const { port } = new URL(server.url);
		const send = (path: string, body: string | null): Promise<number> =>
			new Promise((done, fail) => {
				const req = request(
					{
						host: '127.0.0.1',
						port,
						agent,
						method: body === null ? 'GET' : 'POST',
						path,
						headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
					},
					(res) => {
						res.resume();
						res.on('end', () => done(res.statusCode ?? 0));
					}
				);
				req.on('error', fail);
				req.end(body ?? undefined);
			});
		try {
			// An unknown pilot is answered before its 1 MB body is read.
			expect(await send('/api/v1/pilots/nope/events', 'x'.repeat(1_000_000))).toBe(404);
			expect(await send('/api/v1/me', null)).toBe(200);
		} finally {
			agent.destroy();
		}
	});
});
