import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir } from '../support/server';
import { client, signIn } from '../support/session';
import { backupUnderLoad } from '../support/reliability/backup-drill';

const dir = tempDir();
afterAll(() => dir.remove());

function counts(path: string): Record<string, number> {
	const db = new Database(path, { readonly: true });
	try {
		const tables = ['pilots', 'users', 'memberships', 'audit_log', 'decisions'];
		return Object.fromEntries(
			tables.map((t) => [
				t,
				(db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n
			])
		);
	} finally {
		db.close();
	}
}

describe('backup and restore', () => {
	test(
		'a backup taken while the server runs is consistent and restores to a working app',
		{ timeout: 120_000 },
		async () => {
			const databasePath = join(dir.path, 'live.db');
			const server = await startServer({ databasePath });
			const backupPath = join(dir.path, 'backup.db');
			let atBackup: Record<string, number>;
			try {
				const admin = client(
					server.url,
					await signIn(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass')
				);
				execFileSync(process.execPath, ['scripts/backup.js', backupPath], {
					env: { ...process.env, DATABASE_PATH: databasePath }
				});
				atBackup = counts(backupPath);
				// Changes after the backup are not in it.
				await admin.post('/pilots/new', {
					name: 'After the backup',
					process: 'A pilot created after the backup was taken',
					timezone: 'UTC'
				});
				expect(counts(databasePath).pilots).toBe(atBackup.pilots + 1);
			} finally {
				await server.stop();
			}

			const restored = await startServer({ databasePath: backupPath });
			try {
				expect(counts(backupPath)).toMatchObject({
					pilots: atBackup.pilots,
					users: atBackup.users
				});
				const db = new Database(backupPath, { readonly: true });
				expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
				db.close();
				const cookie = await signIn(
					restored.url,
					'owner@demo.pilot-impact.test',
					'demo-owner-pass'
				);
				expect(
					(await client(restored.url, cookie).get('/pilots/email-triage-assistant')).status
				).toBe(200);
			} finally {
				await restored.stop();
			}
		}
	);

	test(
		'a backup taken during ingestion is one consistent moment, and restores to the same report',
		{ timeout: 120_000 },
		async () => {
			const figures = await backupUnderLoad(dir.path, 1);
			expect(figures.eventsInBackup).toBeGreaterThan(0);
		}
	);

	test('copies the webhook secret key file beside the database, owner-only', () => {
		const live = join(dir.path, 'live.db');
		const keyFile = join(dir.path, 'webhook-secret.key');
		if (!existsSync(keyFile)) writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
		const target = join(dir.path, 'with-key.db');
		const { WEBHOOK_SECRET_KEY: _key, ...env } = process.env;
		void _key;
		const output = execFileSync(process.execPath, ['scripts/backup.js', target], {
			env: { ...env, DATABASE_PATH: live },
			encoding: 'utf8'
		});
		expect(output).toContain('webhook secret key');
		expect(readFileSync(`${target}.webhook-secret.key`, 'utf8')).toBe(
			readFileSync(keyFile, 'utf8')
		);
		expect(statSync(`${target}.webhook-secret.key`).mode & 0o777).toBe(0o600);
		// With the key in the environment there is no file to copy.
		const other = join(dir.path, 'env-key.db');
		execFileSync(process.execPath, ['scripts/backup.js', other], {
			env: { ...env, DATABASE_PATH: live, WEBHOOK_SECRET_KEY: 'cd'.repeat(32) }
		});
		expect(existsSync(`${other}.webhook-secret.key`)).toBe(false);
	});

	test('refuses to overwrite an existing file', () => {
		const existing = join(dir.path, 'live.db');
		expect(() =>
			execFileSync(process.execPath, ['scripts/backup.js', existing], {
				env: { ...process.env, DATABASE_PATH: existing },
				stdio: 'pipe'
			})
		).toThrow();
	});
});
