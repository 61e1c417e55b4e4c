import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir } from '../support/server';
import { signIn } from '../support/session';

// No public admin password: demo accounts get random passwords, printed once at start-up and
// nowhere else, and there are none when the operator brings an admin of their own.

const dir = tempDir();
afterAll(() => dir.remove());

const demoEmails = ['admin', 'leadership', 'owner', 'member'].map(
	(role) => `${role}@demo.pilot-impact.test`
);

async function signInStatus(url: string, email: string, password: string): Promise<number> {
	const response = await fetch(`${url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: url,
			accept: 'text/html'
		},
		body: new URLSearchParams({ email, password })
	});
	await response.text();
	return response.status;
}

describe('demo accounts', () => {
	test(
		'get random passwords, shown once in the start-up output and never on the sign-in page',
		{ timeout: 120_000 },
		async () => {
			const databasePath = join(dir.path, 'random.db');
			// An empty DEMO_PASSWORD is the default: random passwords.
			const server = await startServer({ databasePath, env: { DEMO_PASSWORD: '' } });
			let adminPassword: string;
			try {
				const printed = new Map(
					[...server.output().matchAll(/(\S+@demo\.pilot-impact\.test)\s+password: (\S+)/g)].map(
						(m) => [m[1], m[2]]
					)
				);
				expect([...printed.keys()].sort()).toEqual([...demoEmails].sort());
				const passwords = [...printed.values()];
				expect(new Set(passwords).size).toBe(4);
				for (const password of passwords) expect(password).toMatch(/^[\w-]{16}$/);
				adminPassword = printed.get('admin@demo.pilot-impact.test')!;

				expect(await signIn(server.url, 'admin@demo.pilot-impact.test', adminPassword)).toMatch(
					/^pi_session=/
				);
				expect(
					await signInStatus(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass')
				).toBe(400);
				const page = await (await fetch(`${server.url}/login`)).text();
				expect(page).toContain('admin@demo.pilot-impact.test');
				for (const password of passwords) expect(page).not.toContain(password);
			} finally {
				await server.stop();
			}

			// A second start prints no password: they were shown once.
			const again = await startServer({ databasePath, env: { DEMO_PASSWORD: '' } });
			try {
				expect(again.output()).not.toContain(adminPassword);
				expect(again.output()).not.toMatch(/password:/);
			} finally {
				await again.stop();
			}
		}
	);

	test(
		'are not created when INIT_ADMIN_* names the first admin',
		{ timeout: 120_000 },
		async () => {
			const server = await startServer({
				databasePath: join(dir.path, 'operator.db'),
				env: {
					DEMO_PASSWORD: '',
					INIT_ADMIN_EMAIL: 'ops@example.com',
					INIT_ADMIN_PASSWORD: 'an operator passphrase'
				}
			});
			try {
				expect(server.output()).toContain('seeded the demo portfolio');
				expect(server.output()).not.toMatch(/password:/);
				expect(await signIn(server.url, 'ops@example.com', 'an operator passphrase')).toMatch(
					/^pi_session=/
				);
				const page = await (await fetch(`${server.url}/login`)).text();
				expect(page).not.toContain('@demo.pilot-impact.test');
				expect(
					await signInStatus(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass')
				).toBe(400);
			} finally {
				await server.stop();
			}
			const db = new Database(join(dir.path, 'operator.db'), { readonly: true });
			const emails = (db.prepare('select email from users').all() as { email: string }[]).map(
				(r) => r.email
			);
			const pilots = db.prepare('select count(*) as n from pilots').get() as { n: number };
			db.close();
			expect(emails).toEqual(['ops@example.com']);
			expect(pilots.n).toBe(6);
		}
	);
});
