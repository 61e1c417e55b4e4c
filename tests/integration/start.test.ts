import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir } from '../support/server';
import { client, signIn } from '../support/session';

const demoAdmin = { email: 'admin@demo.pilot-impact.test', password: 'demo-admin-pass' };

const dir = tempDir();
afterAll(() => dir.remove());

function pilotSlugs(html: string): string[] {
	return [...html.matchAll(/href="[.]*\/pilots\/([a-z0-9-]+)"/g)]
		.map((m) => m[1])
		.filter((s) => s !== 'new');
}

/** A server on a new file without the demo portfolio, given the operator's first admin. */
const startWithoutDemo = (file: string, email: string, password: string) =>
	startServer({
		databasePath: join(dir.path, file),
		env: { SEED_DEMO: 'false', INIT_ADMIN_EMAIL: email, INIT_ADMIN_PASSWORD: password }
	});

describe('start-up on an empty database', () => {
	// A folder that does not exist yet: the app must create it with the file.
	const databasePath = join(dir.path, 'nested', 'folder', 'pilot-impact.db');

	test('migrates an empty file, seeds the demo portfolio once, and serves the pilot list', async () => {
		const first = await startServer({ databasePath });
		try {
			expect(first.output()).toContain('seeded the demo portfolio (6 pilots)');
			for (const role of ['admin', 'leadership', 'owner', 'member']) {
				expect(first.output()).toContain(`${role}@demo.pilot-impact.test`);
			}
			const cookie = await signIn(first.url, demoAdmin.email, demoAdmin.password);
			const html = await (await client(first.url, cookie).get('/')).text();
			expect(pilotSlugs(html)).toEqual(
				expect.arrayContaining([
					'email-triage-assistant',
					'internal-faq-answers',
					'invoice-data-extraction',
					'proposal-drafting',
					'call-summaries-to-crm',
					'contract-clause-review'
				])
			);
			for (const stage of ['Draft', 'Baseline', 'Running', 'Decided'])
				expect(html).toContain(stage);
		} finally {
			await first.stop();
		}

		const db = new Database(databasePath, { readonly: true });
		try {
			expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
			const migrations = db.prepare('select count(*) as n from __drizzle_migrations').get() as {
				n: number;
			};
			expect(migrations.n).toBeGreaterThan(0);
			const stages = db
				.prepare('select stage, count(*) as n from pilots group by stage order by stage')
				.all();
			expect(stages).toEqual([
				{ stage: 'baseline', n: 1 },
				{ stage: 'decided', n: 2 },
				{ stage: 'draft', n: 1 },
				{ stage: 'running', n: 2 }
			]);
		} finally {
			db.close();
		}

		const second = await startServer({ databasePath });
		try {
			expect(second.output()).not.toContain('seeded');
			const cookie = await signIn(second.url, demoAdmin.email, demoAdmin.password);
			const html = await (await client(second.url, cookie).get('/')).text();
			expect(pilotSlugs(html)).toHaveLength(6);
		} finally {
			await second.stop();
		}
	});

	test('SEED_DEMO=false starts empty and explains how to begin', async () => {
		const server = await startWithoutDemo('empty.db', 'first@example.com', 'a long first password');
		try {
			const cookie = await signIn(server.url, 'first@example.com', 'a long first password');
			const html = await (await client(server.url, cookie).get('/')).text();
			expect(pilotSlugs(html)).toHaveLength(0);
			expect(html).toContain('No pilots yet');
		} finally {
			await server.stop();
		}
	});

	test('an INIT_ADMIN_PASSWORD that breaks the password rules creates no admin and says why', async () => {
		const server = await startWithoutDemo('weak-admin.db', 'weak@example.com', 'password');
		try {
			expect(server.output()).toContain(
				'INIT_ADMIN_PASSWORD was not used: This password is too common'
			);
			expect(server.output()).not.toContain('created the admin account');
			const response = await fetch(`${server.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
				body: new URLSearchParams({ email: 'weak@example.com', password: 'password' })
			});
			expect(response.status).not.toBe(303);
		} finally {
			await server.stop();
		}
	});
});
