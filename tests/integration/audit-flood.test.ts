import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';

// An anonymous caller floods the server with refusals that each used to add a row to the
// append-only audit log (a 9 MiB sign-in email once stored a 9.4 MB row): the log must grow by
// a small, bounded amount whatever the flood.

const dir = tempDir();
let server: RunningServer;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'flood.db'),
		env: { SEED_DEMO: 'false', REQUEST_LOG: 'off' }
	});
});

afterAll(async () => {
	await server.stop();
	dir.remove();
});

/** Rows and stored characters of the audit log. */
function auditSize(): { rows: number; bytes: number } {
	const db = new Database(server.databasePath, { readonly: true });
	try {
		return db
			.prepare(
				`select count(*) as rows, coalesce(sum(
					length(at) + length(actor_label) + length(action) + length(target_type) +
					coalesce(length(target_id), 0) + coalesce(length(target_label), 0) +
					coalesce(length(before), 0) + coalesce(length(after), 0) +
					coalesce(length(detail), 0) + coalesce(length(address), 0)), 0) as bytes
				from audit_log`
			)
			.get() as { rows: number; bytes: number };
	} finally {
		db.close();
	}
}

function login(email: string, password = 'Wrong-Password-123'): Promise<Response> {
	return fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html'
		},
		body: new URLSearchParams({ email, password })
	});
}

describe('an anonymous flood', () => {
	test('a 9 MiB sign-in form is refused with 413 before it is read, and leaves no row', async () => {
		const before = auditSize();
		const response = await login('a'.repeat(9 * 1024 * 1024) + '@example.com');
		expect(response.status).toBe(413);
		await response.text();
		// Sent without a length (chunked), it is refused too.
		const chunked = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url
			},
			body: new ReadableStream({
				start(controller) {
					const chunk = new TextEncoder().encode('email=' + 'a'.repeat(1024 * 1024));
					controller.enqueue(chunk);
					controller.enqueue(new TextEncoder().encode('&password=' + 'b'.repeat(64)));
					controller.close();
				}
			}),
			duplex: 'half'
		} as RequestInit);
		expect(chunked.status).toBe(413);
		await chunked.text();
		expect(auditSize()).toEqual(before);
	});

	test('an API call with a body over 1 MiB is 413 problem+json; ingestion still takes 10 MiB', async () => {
		const response = await fetch(`${server.url}/api/v1/pilots`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })
		});
		expect(response.status).toBe(413);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		// The events endpoint is not held to the small limit: an unknown caller gets its 401.
		const events = await fetch(`${server.url}/api/v1/pilots/nope/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ events: [], padding: 'x'.repeat(2 * 1024 * 1024) })
		});
		expect(events.status).toBe(401);
	});

	test(
		'hundreds of refused requests with huge paths, keys and emails add a few KiB',
		{ timeout: 180_000 },
		async () => {
			const before = auditSize();
			const longPath = `/api/v1/pilots/${'p'.repeat(8 * 1024)}`;
			for (let i = 0; i < 200; i++) {
				const response = await fetch(`${server.url}${longPath}`);
				expect([401, 404, 414, 431]).toContain(response.status);
				await response.text();
			}
			for (let i = 0; i < 100; i++) {
				const response = await fetch(`${server.url}/api/v1/me`, {
					headers: { authorization: `Bearer pi_${'k'.repeat(4000)}${i}` }
				});
				expect([401, 429]).toContain(response.status);
				await response.text();
			}
			const statuses: number[] = [];
			for (let i = 0; i < 60; i++) {
				const response = await login(`${i}-${'e'.repeat(100 * 1024)}@example.com`);
				statuses.push(response.status);
				await response.text();
			}
			// Sign-in slows down after 20 failures from one address (see sign-in-throttle.test.ts).
			expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(20);
			expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);

			const after = auditSize();
			// 20 sign-in failures, and one row per kind of refusal from this address and window.
			expect(after.rows - before.rows).toBeLessThanOrEqual(25);
			expect(after.bytes - before.bytes).toBeLessThan(20 * 1024);
		}
	);
});
