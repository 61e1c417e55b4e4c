import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { record, systemActor } from '../audit/audit';
import { openDatabase, type Db } from './index';

let dir: string | null = null;
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = null;
});

describe('the database file', () => {
	test('a new file and the folder made for it are the owner’s only', async () => {
		dir = mkdtempSync(join(tmpdir(), 'pilot-impact-perm-'));
		const path = join(dir, 'nested', 'app.db');
		const db = openDatabase(path);
		await record(systemActor, { action: 'test.write', targetType: 'test' }, new Date(), db);
		db.$client.close();
		expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
		expect(statSync(path).mode & 0o777).toBe(0o600);
	});
});

describe('the audit log is append-only', () => {
	const rows = (db: Db) => db.$client.prepare('SELECT id, action FROM audit_log').all();

	test.each([
		[
			'INSERT OR REPLACE',
			"INSERT OR REPLACE INTO audit_log (id, at, actor_type, actor_label, action, target_type) VALUES (1, 'x', 'system', 'x', 'rewritten', 'x')"
		],
		[
			'REPLACE INTO',
			"REPLACE INTO audit_log (id, at, actor_type, actor_label, action, target_type) VALUES (1, 'x', 'system', 'x', 'rewritten', 'x')"
		],
		['UPDATE', "UPDATE audit_log SET action = 'rewritten'"],
		['DELETE', 'DELETE FROM audit_log'],
		[
			'an upsert',
			"INSERT INTO audit_log (id, at, actor_type, actor_label, action, target_type) VALUES (1, 'x', 'system', 'x', 'x', 'x') ON CONFLICT (id) DO UPDATE SET action = 'rewritten'"
		]
	])('%s cannot change an entry', async (_name, sql) => {
		const db = openDatabase(':memory:');
		await record(systemActor, { action: 'test.write', targetType: 'test' }, new Date(), db);
		expect(() => db.$client.prepare(sql).run()).toThrow(/append-only/);
		expect(rows(db)).toEqual([{ id: 1, action: 'test.write' }]);
	});
});
