import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, testAdmin } from '../support/session';
import { createPilot } from '../support/reliability/api';
import { randomBatch, seededRandom } from '../support/reliability/random';

// Operations: one JSON log line per request without secrets, a request id, limits per API
// key, the cross-site form check, and a graceful shutdown that finishes the batch in flight.
// Nothing here waits a fixed time: tests poll for the state they need, so a slow machine makes
// them slower, not red. (The token bucket's refill over time is unit-tested with an injected
// clock in src/lib/server/auth/key-rate-limit.test.ts.)

const key = 'pi_operations-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'operations.db'),
		env: {
			SEED_DEMO: 'false',
			INIT_API_KEY: key,
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

/** Polls `ready` every 20 ms until it holds; fails after `seconds`. */
async function until(ready: () => boolean | Promise<boolean>, what: string, seconds = 20) {
	const deadline = Date.now() + seconds * 1000;
	while (!(await ready())) {
		if (Date.now() > deadline) throw new Error(`Still waiting after ${seconds} s: ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Whether the server still accepts TCP connections (it stops on SIGTERM). */
const accepting = (port: number): Promise<boolean> =>
	new Promise((done) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			done(true);
		});
		socket.once('error', () => done(false));
	});

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
		// A line is written when its answer is sent; our pipe may read it a little later.
		await until(
			() => ['trace-4711', generated].every((id) => logLines().some((l) => l.id === id)),
			'the log lines of both requests'
		);

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
	// A server of its own whose bucket refills once in 1,000 s: three requests at once, then
	// 429 however slowly the five requests go.
	let limited: RunningServer;
	beforeAll(async () => {
		limited = await startServer({
			databasePath: join(dir.path, 'rate-limit.db'),
			env: { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0.001', API_RATE_BURST: '3' }
		});
	});
	afterAll(() => limited?.stop());

	test('an API key beyond its bucket gets 429 with Retry-After, as problem+json', async () => {
		const me = (): Promise<Response> =>
			fetch(`${limited.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
		const statuses: number[] = [];
		let refused: Response | null = null;
		for (let i = 0; i < 5; i++) {
			const response = await me();
			statuses.push(response.status);
			if (response.status === 429) refused ??= response;
			else await response.body?.cancel();
		}
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		if (refused === null) throw new Error('no request was refused');
		// One token takes 1,000 s; the seconds already waited are taken off.
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThan(900);
		expect(retryAfter).toBeLessThanOrEqual(1000);
		expect(refused.headers.get('content-type')).toBe('application/problem+json');
		expect(await refused.json()).toMatchObject({
			status: 429,
			detail: `Too many requests with this API key; try again in ${retryAfter} seconds.`
		});
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
							'content-length': Buffer.byteLength(body),
							// The server's "100 Continue" says it has taken the request in hand.
							expect: '100-continue'
						}
					},
					(res) => {
						let text = '';
						res.on('data', (chunk: Buffer) => (text += chunk.toString()));
						res.on('end', () => done({ status: res.statusCode ?? 0, text }));
					}
				);
				req.on('error', fail);
				req.on('continue', () => {
					// The request is in flight with half its body: stop the server, and finish the
					// batch only once it has stopped accepting connections.
					req.write(body.slice(0, half));
					exited = own.kill('SIGTERM');
					until(async () => !(await accepting(Number(port))), 'the server to stop listening')
						.then(() => req.end(body.slice(half)))
						.catch(fail);
				});
				req.flushHeaders();
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
