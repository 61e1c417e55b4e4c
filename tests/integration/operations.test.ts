import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, testAdmin } from '../support/session';
import { createPilot } from '../support/reliability/api';
import { randomBatch, seededRandom } from '../support/reliability/random';

// Operations: one JSON log line per request without secrets, a request id, limits per API
// key, the cross-site form check, and a graceful shutdown that finishes the batch in flight.

const key = 'pi_operations-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'operations.db'),
		env: {
			SEED_DEMO: 'false',
			INIT_API_KEY: key,
			API_RATE_LIMIT: '2',
			API_RATE_BURST: '3',
			...adminEnv
		}
	});
});
afterAll(async () => {
	await server?.stop();
	dir.remove();
});

interface LogLine {
	id: string;
	method: string;
	route: string | null;
	path: string;
	status: number;
	durationMs: number;
}

const logLines = (): LogLine[] =>
	server
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as LogLine);

describe('request log', () => {
	test('one JSON line per request, with the caller’s request id, and no secret', async () => {
		const health = await fetch(`${server.url}/healthz?token=secret-in-query`, {
			headers: { 'x-request-id': 'trace-4711' }
		});
		expect(health.headers.get('x-request-id')).toBe('trace-4711');
		await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url,
				accept: 'text/html'
			},
			body: new URLSearchParams({ email: testAdmin.email, password: testAdmin.password })
		});
		const generated = (
			await fetch(`${server.url}/api/v1/pilots/nope`, {
				headers: { authorization: `Bearer ${key}` }
			})
		).headers.get('x-request-id');
		expect(generated).toMatch(/^[0-9a-f-]{36}$/);
		await new Promise((r) => setTimeout(r, 100));

		const lines = logLines();
		expect(lines.find((l) => l.id === 'trace-4711')).toMatchObject({
			method: 'GET',
			route: '/healthz',
			path: '/healthz',
			status: 200,
			durationMs: expect.any(Number)
		});
		expect(lines.find((l) => l.id === generated)).toMatchObject({
			method: 'GET',
			route: '/api/v1/pilots/[slug]',
			status: 404
		});
		expect(lines.find((l) => l.route === '/login' && l.method === 'POST')?.status).toBe(303);
		const output = server.output();
		for (const secret of [key, testAdmin.password, 'secret-in-query', 'pi_session']) {
			expect(output).not.toContain(secret);
		}
	});
});

describe('rate limits', () => {
	test('an API key beyond its bucket gets 429 with Retry-After, as problem+json, then recovers', async () => {
		const me = (): Promise<Response> =>
			fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
		await new Promise((r) => setTimeout(r, 1_600)); // a full bucket after the test above
		const statuses: number[] = [];
		let refused: Response | null = null;
		for (let i = 0; i < 5; i++) {
			const response = await me();
			statuses.push(response.status);
			if (response.status === 429) refused ??= response;
		}
		expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
		expect(statuses.at(-1)).toBe(429);
		if (refused === null) throw new Error('no request was refused');
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(refused.headers.get('content-type')).toBe('application/problem+json');
		expect((await refused.json()).status).toBe(429);
		await new Promise((r) => setTimeout(r, 600));
		expect((await me()).status).toBe(200);
	});
});

describe('cross-site forms', () => {
	test('a page form from another site is refused; the API answers form bodies in problem+json', async () => {
		const crossSite = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://evil.example'
			},
			body: 'email=a&password=b'
		});
		expect(crossSite.status).toBe(403);
		expect(await crossSite.text()).toMatch(/Cross-site POST form submissions are forbidden/);
		await new Promise((r) => setTimeout(r, 600));
		const api = await fetch(`${server.url}/api/v1/pilots`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${key}`,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'slug=x'
		});
		expect(api.status).toBe(415);
		expect(api.headers.get('content-type')).toBe('application/problem+json');
	});
});

describe('graceful shutdown', () => {
	test(
		'SIGTERM during a batch: the batch is stored and answered, then the database is closed',
		{ timeout: 60_000 },
		async () => {
			const databasePath = join(dir.path, 'shutdown.db');
			const own = await startServer({
				databasePath,
				env: { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0' }
			});
			await createPilot({ url: own.url, key }, 'shutdown');
			const body = JSON.stringify({ events: randomBatch(seededRandom(7), 'late', 2_000) });
			const half = Math.floor(body.length / 2);
			const { port } = new URL(own.url);
			let exited: Promise<unknown> = Promise.resolve();
			const answer = await new Promise<{ status: number; text: string }>((done, fail) => {
				const req = request(
					{
						host: '127.0.0.1',
						port,
						method: 'POST',
						path: '/api/v1/pilots/shutdown/events',
						headers: {
							authorization: `Bearer ${key}`,
							'content-type': 'application/json',
							'content-length': Buffer.byteLength(body)
						}
					},
					(res) => {
						let text = '';
						res.on('data', (chunk: Buffer) => (text += chunk.toString()));
						res.on('end', () => done({ status: res.statusCode ?? 0, text }));
					}
				);
				req.on('error', fail);
				req.write(body.slice(0, half));
				// The first half is on its way: stop the server, then finish the batch.
				setTimeout(() => {
					exited = own.kill('SIGTERM');
					setTimeout(() => req.end(body.slice(half)), 300);
				}, 200);
			});
			expect(answer.status).toBe(200);
			expect(JSON.parse(answer.text)).toEqual({ accepted: 2_000, duplicates: 0 });
			expect(await exited).toEqual({ code: 0, signal: null });
			await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();

			// The database was closed after the batch was answered, and closed cleanly (the WAL
			// checkpointed into the file and removed).
			const output = own.output();
			const answered = output.indexOf('"route":"/api/v1/pilots/[slug]/events"');
			expect(answered).toBeGreaterThan(-1);
			expect(output.indexOf('requests finished, database closed')).toBeGreaterThan(answered);
			expect(existsSync(`${databasePath}-wal`)).toBe(false);
			const db = new Database(databasePath, { readonly: true });
			expect(db.prepare('select count(*) from events').pluck().get()).toBe(2_000);
			expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
			db.close();
		}
	);
});
