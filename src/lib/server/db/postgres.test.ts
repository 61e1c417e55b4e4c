import { getTableColumns, getTableName, is, type Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { migratedPostgres } from '../../../../tests/support/migrated-postgres';
import { freshDatabase } from '../../../../tests/support/postgres';
import { openDatabase, type Db } from './index';
import * as pgSchema from './pg-schema';
import {
	closePostgres,
	migratePostgres,
	openPostgres,
	poolConfig,
	poolOf,
	type PgDb
} from './postgres';
import * as sqliteSchema from './schema';

// On a real PostgreSQL (tests/support/postgres.ts): one server for the file, a database per
// test that needs an empty one. 7 to 15 s in all on a 2-core machine, depending on its load.

const server = migratedPostgres(3);
/** The server's database with every migration applied, shared by the tests that only read or roll back. */
let migrated: Db;
beforeAll(() => {
	migrated = server.db;
});

/** A fresh database, its URL handed to `use`, dropped afterwards. */
async function withDatabase(use: (url: string) => Promise<void>): Promise<void> {
	const database = await freshDatabase(server.url);
	try {
		await use(database.url);
	} finally {
		await database.stop();
	}
}

const journal: { entries: { tag: string }[] } = JSON.parse(
	readFileSync('drizzle-pg/meta/_journal.json', 'utf8')
);

async function appliedMigrations(db: Db): Promise<number> {
	const { rows } = await poolOf(db).query<{ n: string }>(
		'SELECT count(*) AS n FROM drizzle.__drizzle_migrations'
	);
	return Number(rows[0].n);
}

function tablesOf(module: Record<string, unknown>, kind: typeof PgTable | typeof SQLiteTable) {
	return Object.fromEntries(
		Object.entries(module)
			.filter(([, value]) => is(value, kind))
			.map(([key, value]) => [key, value as Table])
	);
}

describe('PostgreSQL migrations', () => {
	test('apply to an empty database: every table of pg-schema.ts, the audit log’s triggers', async () => {
		await withDatabase(async (url) => {
			const db = openPostgres(url, { poolSize: 2 });
			try {
				await migratePostgres(db);
				expect(await appliedMigrations(db)).toBe(journal.entries.length);
				const { rows } = await poolOf(db).query<{ table_name: string }>(
					`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
				);
				const expected = Object.values(tablesOf(pgSchema, PgTable)).map((t) => getTableName(t));
				expect(rows.map((r) => r.table_name).sort()).toEqual(expected.sort());
				// Again: nothing to do.
				await migratePostgres(db);
				expect(await appliedMigrations(db)).toBe(journal.entries.length);
			} finally {
				await closePostgres(db);
			}
		});
	});

	test('three instances migrating one empty database at once: all succeed, each migration applied once', async () => {
		await withDatabase(async (url) => {
			const instances = [1, 2, 3].map(() => openPostgres(url, { poolSize: 2 }));
			try {
				const results = await Promise.allSettled(instances.map((db) => migratePostgres(db)));
				expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
				expect(await appliedMigrations(instances[0])).toBe(journal.entries.length);
				const { rows } = await poolOf(instances[0]).query<{ hash: string; n: string }>(
					'SELECT hash, count(*) AS n FROM drizzle.__drizzle_migrations GROUP BY hash'
				);
				expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
			} finally {
				await Promise.all(instances.map((db) => closePostgres(db)));
			}
		});
	});
});

// ── Schema parity ──────────────────────────────────────────────────────────────────────────
// Both engines described the same way, from the databases their migrations made: per table,
// each column's type family, nullability and default, the primary key, the indexes and the
// foreign keys. Any drift of one engine's migrations from the other's fails here.

interface TableShape {
	columns: Record<string, string>;
	primaryKey: string[];
	indexes: string[];
	foreignKeys: string[];
}
type SchemaShape = Record<string, TableShape>;

/** SQLite's declared types and PostgreSQL's mapped ones, as one family. */
const typeFamily: Record<string, string> = {
	integer: 'integer',
	bigint: 'integer',
	text: 'text',
	real: 'real',
	'double precision': 'real'
};

function column(type: string, notNull: boolean, defaultValue: string | null): string {
	const family = typeFamily[type.toLowerCase()] ?? `unknown ${type}`;
	const dflt = defaultValue === null ? '' : ` default ${defaultValue.replace(/::[a-z ]+$/, '')}`;
	return `${family}${notNull ? ' not null' : ''}${dflt}`;
}

const deleteRules: Record<string, string> = {
	a: 'NO ACTION',
	r: 'RESTRICT',
	c: 'CASCADE',
	n: 'SET NULL',
	d: 'SET DEFAULT'
};

function describeSqlite(): SchemaShape {
	const db = openDatabase(':memory:');
	try {
		const all = <T>(sql: string, ...params: unknown[]) =>
			db.$client.prepare(sql).all(...params) as T[];
		const tables = all<{ name: string }>(
			`SELECT name FROM sqlite_master WHERE type = 'table'
			 AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`
		);
		const shape: SchemaShape = {};
		for (const { name } of tables) {
			const info = all<{
				name: string;
				type: string;
				notnull: number;
				dflt_value: string | null;
				pk: number;
			}>(`SELECT * FROM pragma_table_info(?)`, name);
			const indexes = all<{ name: string; unique: number; origin: string; partial: number }>(
				`SELECT * FROM pragma_index_list(?)`,
				name
			).filter((i) => i.origin === 'c');
			const foreignKeys = all<{ table: string; from: string; to: string; on_delete: string }>(
				`SELECT * FROM pragma_foreign_key_list(?)`,
				name
			);
			shape[name] = {
				columns: Object.fromEntries(
					info.map((c) => [c.name, column(c.type, c.notnull === 1, c.dflt_value)])
				),
				primaryKey: info
					.filter((c) => c.pk > 0)
					.sort((a, b) => a.pk - b.pk)
					.map((c) => c.name),
				indexes: indexes
					.map((i) => {
						const columns = all<{ seqno: number; name: string | null }>(
							`SELECT * FROM pragma_index_info(?) ORDER BY seqno`,
							i.name
						).map((c) => c.name ?? 'expr');
						return index(i.name, i.unique === 1, i.partial === 1, columns);
					})
					.sort(),
				foreignKeys: foreignKeys.map((f) => `${f.from} → ${f.table}.${f.to} ${f.on_delete}`).sort()
			};
		}
		return shape;
	} finally {
		db.$client.close();
	}
}

function index(name: string, unique: boolean, partial: boolean, columns: string[]): string {
	return `${name} ${unique ? 'unique ' : ''}${partial ? 'partial ' : ''}(${columns.join(', ')})`;
}

type Query = <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>;

async function describePostgres(query: Query): Promise<SchemaShape> {
	const tables = await query<{ table_name: string }>(
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
	);
	const shape: SchemaShape = {};
	const describeTable = async (name: string) => {
		const columns = await query<{
			column_name: string;
			data_type: string;
			is_nullable: string;
			column_default: string | null;
		}>(
			`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
			 WHERE table_schema = 'public' AND table_name = $1`,
			[name]
		);
		const primaryKey = await query<{ column_name: string }>(
			`SELECT k.column_name FROM information_schema.table_constraints c
			 JOIN information_schema.key_column_usage k
			   ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
			 WHERE c.table_schema = 'public' AND c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY'
			 ORDER BY k.ordinal_position`,
			[name]
		);
		const indexes = await query<{
			name: string;
			unique: boolean;
			partial: boolean;
			columns: string[];
		}>(
			`SELECT i.relname AS name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
			   array(SELECT coalesce(a.attname::text, 'expr') FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
			         LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
			         ORDER BY k.ord) AS columns
			 FROM pg_index x
			 JOIN pg_class i ON i.oid = x.indexrelid
			 JOIN pg_class t ON t.oid = x.indrelid
			 JOIN pg_namespace n ON n.oid = t.relnamespace
			 WHERE n.nspname = 'public' AND t.relname = $1 AND NOT x.indisprimary`,
			[name]
		);
		const foreignKeys = await query<{ from: string; table: string; to: string; rule: string }>(
			`SELECT a.attname AS from, r.relname AS table, ra.attname AS to, c.confdeltype AS rule
			 FROM pg_constraint c
			 JOIN pg_class t ON t.oid = c.conrelid
			 JOIN pg_namespace n ON n.oid = t.relnamespace
			 JOIN pg_class r ON r.oid = c.confrelid
			 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, refcol)
			 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
			 JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refcol
			 WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = $1`,
			[name]
		);
		shape[name] = {
			columns: Object.fromEntries(
				columns.map((c) => [
					c.column_name,
					column(c.data_type, c.is_nullable === 'NO', c.column_default)
				])
			),
			primaryKey: primaryKey.map((k) => k.column_name),
			indexes: indexes.map((i) => index(i.name, i.unique, i.partial, i.columns)).sort(),
			foreignKeys: foreignKeys
				.map((f) => `${f.from} → ${f.table}.${f.to} ${deleteRules[f.rule]}`)
				.sort()
		};
	};
	await Promise.all(tables.map((t) => describeTable(t.table_name)));
	return shape;
}

const onPool =
	(pool: pg.Pool | pg.PoolClient): Query =>
	async (sql, params) =>
		(await pool.query(sql, params)).rows;

describe('schema parity of SQLite and PostgreSQL', () => {
	test('the same tables, columns (type, nullability, default), keys, indexes and foreign keys', async () => {
		const sqlite = describeSqlite();
		const postgres = await describePostgres(onPool(poolOf(migrated)));
		expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
		for (const table of Object.keys(sqlite)) {
			expect({ table, ...postgres[table] }).toEqual({ table, ...sqlite[table] });
		}
	});

	test('a column PostgreSQL has and SQLite has not is seen', async () => {
		const client = await poolOf(migrated).connect();
		try {
			await client.query('BEGIN');
			await client.query('ALTER TABLE pilots ADD COLUMN archived_at text');
			await client.query('ALTER TABLE events ALTER COLUMN segment SET NOT NULL');
			const postgres = await describePostgres(onPool(client));
			const sqlite = describeSqlite();
			expect(postgres.pilots.columns).not.toEqual(sqlite.pilots.columns);
			expect(postgres.pilots.columns.archived_at).toBe('text');
			expect(postgres.events.columns.segment).toBe('text not null');
			expect(sqlite.events.columns.segment).toBe('text');
		} finally {
			await client.query('ROLLBACK');
			client.release();
		}
	});

	test('the same triggers on SQLite are on PostgreSQL, on the same tables', async () => {
		const db = openDatabase(':memory:');
		const sqlite = db.$client
			.prepare(`SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = 'trigger'`)
			.all() as { name: string; table: string }[];
		db.$client.close();
		const { rows } = await poolOf(migrated).query<{ name: string; table: string }>(
			`SELECT DISTINCT trigger_name AS name, event_object_table AS table
			 FROM information_schema.triggers WHERE trigger_schema = 'public'`
		);
		expect(sqlite.length).toBeGreaterThan(0);
		expect(rows).toEqual(expect.arrayContaining(sqlite));
	});

	test('the drizzle schemas name the same tables and columns under the same keys', () => {
		const shape = (tables: Record<string, Table>) =>
			Object.fromEntries(
				Object.entries(tables).map(([key, table]) => [
					key,
					{
						name: getTableName(table),
						columns: Object.fromEntries(
							Object.entries(getTableColumns(table)).map(([k, c]) => [k, c.name])
						)
					}
				])
			);
		expect(shape(tablesOf(pgSchema, PgTable))).toEqual(shape(tablesOf(sqliteSchema, SQLiteTable)));
	});
});

// ── Values as SQLite stores them ───────────────────────────────────────────────────────────

describe('values on PostgreSQL', () => {
	test('JSON is text, a boolean 0 or 1, an event id a number: the same bytes as on SQLite', async () => {
		const at = '2026-01-05T09:00:00.000Z';
		const [pilot] = await migrated
			.insert(pgSchema.pilots)
			.values({
				slug: 'values',
				name: 'Values',
				charter: { problem: 'p' } as never,
				governance: { owner: 'o' } as never,
				createdAt: at,
				updatedAt: at,
				stageChangedAt: at
			})
			.returning();
		expect(pilot.charter).toEqual({ problem: 'p' });
		const [run] = await migrated
			.insert(pgSchema.evaluationRuns)
			.values({
				pilotId: pilot.id,
				name: 'run',
				runAt: at,
				criteria: { accurate: { passed: 1, total: 2 } },
				source: 'api',
				recordedBy: 'test',
				createdAt: at
			})
			.returning();
		await migrated.insert(pgSchema.evaluationCases).values([
			{ runId: run.id, caseId: 'a', criterion: 'accurate', passed: true },
			{ runId: run.id, caseId: 'b', criterion: 'accurate', passed: false }
		]);
		const [event] = await migrated
			.insert(pgSchema.events)
			.values({
				pilotId: pilot.id,
				externalId: 'e1',
				occurredAt: at,
				day: '2026-01-05',
				phase: 'pilot',
				cohort: 'ai',
				measures: '{"minutes":3}',
				receivedAt: at
			})
			.returning();
		expect(typeof event.id).toBe('number');

		const raw = await poolOf(migrated).query(
			`SELECT p.charter, c.passed FROM pilots p JOIN evaluation_runs r ON r.pilot_id = p.id
			 JOIN evaluation_cases c ON c.run_id = r.id WHERE p.id = $1 ORDER BY c.case_id`,
			[pilot.id]
		);
		expect(raw.rows).toEqual([
			{ charter: '{"problem":"p"}', passed: 1 },
			{ charter: '{"problem":"p"}', passed: 0 }
		]);
		const cases = await migrated.select().from(pgSchema.evaluationCases);
		expect(cases.map((c) => c.passed).sort()).toEqual([false, true]);
	});
});

// ── The audit log is append-only ───────────────────────────────────────────────────────────

describe('the audit log is append-only on PostgreSQL', () => {
	const insert = (id: number, action: string) =>
		`INSERT INTO audit_log (id, at, actor_type, actor_label, action, target_type)
		 VALUES (${id}, 'x', 'system', 'x', '${action}', 'x')`;

	beforeAll(async () => {
		await migrated.insert(pgSchema.auditLog).values({
			id: 1_000_000,
			at: '2026-01-05T09:00:00.000Z',
			actorType: 'system',
			actorLabel: 'system',
			action: 'test.write',
			targetType: 'test'
		});
	});

	test.each([
		['UPDATE', "UPDATE audit_log SET action = 'rewritten'"],
		['DELETE', 'DELETE FROM audit_log'],
		['TRUNCATE', 'TRUNCATE audit_log'],
		['an insert of a taken id', insert(1_000_000, 'rewritten')],
		[
			'an insert of a taken id ON CONFLICT DO UPDATE',
			`${insert(1_000_000, 'rewritten')} ON CONFLICT (id) DO UPDATE SET action = excluded.action`
		],
		[
			'an insert of a taken id ON CONFLICT DO NOTHING',
			`${insert(1_000_000, 'x')} ON CONFLICT DO NOTHING`
		]
	])('%s is refused', async (_, statement) => {
		await expect(poolOf(migrated).query(statement)).rejects.toThrow('the audit log is append-only');
		const { rows } = await poolOf(migrated).query(
			'SELECT action FROM audit_log WHERE id = 1000000'
		);
		expect(rows).toEqual([{ action: 'test.write' }]);
	});

	test('a new entry is still written, with an id after the others', async () => {
		const [row] = await (migrated as unknown as PgDb)
			.insert(pgSchema.auditLog)
			.values({
				at: '2026-01-05T09:01:00.000Z',
				actorType: 'system',
				actorLabel: 'system',
				action: 'test.next',
				targetType: 'test'
			})
			.returning({ id: pgSchema.auditLog.id });
		expect(row.id).toBeGreaterThan(0);
	});
});

// ── The pool's options ─────────────────────────────────────────────────────────────────────

describe('openPostgres', () => {
	test('the pool size and statement timeout are the caller’s', async () => {
		const url = new URL(server.url);
		const db = openPostgres(url.toString(), { poolSize: 2, statementTimeoutMs: 100 });
		try {
			expect(poolOf(db).options.max).toBe(2);
			await expect(poolOf(db).query('SELECT pg_sleep(2)')).rejects.toMatchObject({
				code: '57014'
			});
			expect((await poolOf(db).query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		} finally {
			await closePostgres(db);
		}
	});

	test('TLS follows the URL’s sslmode, as libpq reads it', async () => {
		const withMode = (mode: string) => {
			const url = new URL(server.url);
			url.searchParams.set('sslmode', mode);
			return url.toString();
		};
		expect(poolConfig(withMode('require')).connectionString).toContain('uselibpqcompat=true');
		expect(poolConfig(server.url).connectionString).not.toContain('uselibpqcompat');
		// The test server has no TLS: disable connects, require is refused.
		const plain = openPostgres(withMode('disable'));
		const tls = openPostgres(withMode('require'));
		try {
			expect((await poolOf(plain).query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
			await expect(poolOf(tls).query('SELECT 1')).rejects.toThrow(/SSL/);
		} finally {
			await Promise.all([closePostgres(plain), closePostgres(tls)]);
		}
	});
});
