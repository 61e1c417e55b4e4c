import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';

// Sign-in and API keys behind a trusted proxy (ADDRESS_HEADER=x-forwarded-for, as
// adapter-node reads it): guesses are counted before the password is hashed, slowed down
// per account and address, and never keep an untouched account or another address out.

const dir = tempDir();
const key = 'pi_throttle-test-automation-key-0123456789abcdef';
const owner = { email: 'owner@demo.pilot-impact.test', password: 'demo-owner-pass' };
const member = { email: 'member@demo.pilot-impact.test', password: 'demo-member-pass' };
const leadership = { email: 'leadership@demo.pilot-impact.test', password: 'demo-leadership-pass' };
let server: RunningServer;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'throttle.db'),
		env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', INIT_API_KEY: key }
	});
});

afterAll(async () => {
	await server.stop();
	dir.remove();
});

function login(from: string, fields: { email: string; password: string }): Promise<Response> {
	return fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html',
			// The proxy appends the address it saw; a client's own entries come before it.
			'x-forwarded-for': `10.9.9.9, ${from}`
		},
		body: new URLSearchParams(fields)
	});
}

function me(from: string, authorization: string): Promise<Response> {
	return fetch(`${server.url}/api/v1/me`, {
		headers: { authorization, 'x-forwarded-for': from }
	});
}

describe('sign-in throttling', () => {
	test(
		'30 simultaneous wrong passwords for one account: at most 5 are checked, the rest 429',
		{ timeout: 120_000 },
		async () => {
			const attacker = '198.51.100.10';
			const answers = await Promise.all(
				Array.from({ length: 30 }, (_, i) =>
					login(attacker, { email: owner.email, password: `wrong-guess-${i}` })
				)
			);
			const statuses = answers.map((r) => r.status);
			expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
			expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
			expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
			for (const answer of answers.filter((r) => r.status === 429))
				expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
			await Promise.all(answers.map((r) => r.text()));

			// Parallel guesses beyond the checks in flight were refused without being counted; one
			// by one, the five free ones run out.
			for (let i = 0; i < 5; i++) {
				const response = await login(attacker, { email: owner.email, password: `again-${i}` });
				await response.text();
				if (response.status === 429) break;
				expect(response.status).toBe(400);
			}
			// Even the right password waits at that address: the guesses are slowed down there…
			const slowed = await login(attacker, owner);
			expect(slowed.status).toBe(429);
			expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
			// …but the account is not locked out: its owner signs in from their own address,
			expect((await login('203.0.113.5', owner)).status).toBe(303);
			// and an untouched account signs in from a fresh address, or from the attacker's.
			expect((await login('203.0.113.6', leadership)).status).toBe(303);
			expect((await login(attacker, member)).status).toBe(303);
		}
	);

	test('the audit log records the address the proxy names, not the proxy', () => {
		const db = new Database(server.databasePath, { readonly: true });
		const addresses = (
			db.prepare("select distinct address from audit_log where action like 'login.%'").all() as {
				address: string;
			}[]
		).map((r) => r.address);
		db.close();
		expect(addresses).toEqual(
			expect.arrayContaining(['198.51.100.10', '203.0.113.5', '203.0.113.6'])
		);
		expect(addresses).not.toContain('127.0.0.1');
		expect(addresses).not.toContain('10.9.9.9');
	});
});

describe('unknown or invalid API keys', () => {
	test('20 bad keys from one address, then 429 with Retry-After; other addresses are unaffected', async () => {
		const guesser = '198.51.100.77';
		for (let i = 0; i < 20; i++) {
			const response = await me(guesser, `Bearer pi_guess-${i}`);
			expect(response.status).toBe(401);
			await response.text();
		}
		const throttled = await me(guesser, 'Bearer pi_guess-next');
		expect(throttled.status).toBe(429);
		expect(throttled.headers.get('content-type')).toBe('application/problem+json');
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
		// Judged before the key is looked at: a guess cannot tell a right key from a wrong one.
		expect((await me(guesser, `Bearer ${key}`)).status).toBe(429);

		expect((await me('203.0.113.9', 'Bearer pi_one-typo')).status).toBe(401);
		expect((await me('203.0.113.9', `Bearer ${key}`)).status).toBe(200);
	});
});
