import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { freshDatabase } from './postgres';

// The database a test server runs on, on the engine the test run is for, and a way for the test
// to read (or, as an operator would, change) it directly.
//
// `TEST_ENGINE=postgres` (the `server-pg` project) runs the server on a fresh database of the
// throwaway PostgreSQL that project's global set-up starts (postgres-setup.ts); otherwise on the
// SQLite file the test names. One file name gives one database, so a test that restarts its
// server on the same file finds its data on either engine.

export type TestEngine = 'sqlite' | 'postgres';

export interface TestDatabase {
	engine: TestEngine;
	/** For the server: DATABASE_PATH, or DATABASE_URL. */
	env: Record<string, string>;
	/** Runs SQL with `?` placeholders on a connection of its own, closed afterwards. */
	query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
	/** SQLite's integrity check; PostgreSQL checks its own pages, so "ok". */
	integrity(): Promise<string>;
}

export function testEngine(): TestEngine {
	return process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

const postgresByPath = new Map<string, Promise<string>>();

/** The database for the test's SQLite file `path`, on the engine of this run. */
export async function databaseFor(path: string): Promise<TestDatabase> {
	if (testEngine() === 'sqlite' || path === ':memory:') return sqliteDatabase(path);
	let url = postgresByPath.get(path);
	if (!url) {
		url = freshDatabase(inject('postgresServer')).then((database) => database.url);
		postgresByPath.set(path, url);
	}
	return postgresDatabase(await url);
}

export function sqliteDatabase(path: string): TestDatabase {
	const open = () => {
		const db = new Database(path);
		db.pragma('busy_timeout = 10000');
		return db;
	};
	return {
		engine: 'sqlite',
		env: { DATABASE_PATH: path },
		query: async <T>(sql: string, ...params: unknown[]) => {
			const db = open();
			try {
				const statement = db.prepare(sql);
				return (
					statement.reader ? statement.all(...params) : (statement.run(...params), [])
				) as T[];
			} finally {
				db.close();
			}
		},
		integrity: async () => {
			// Opened read-write, so that a crashed WAL is recovered first.
			const db = open();
			try {
				return db.pragma('integrity_check', { simple: true }) as string;
			} finally {
				db.close();
			}
		}
	};
}

export function postgresDatabase(url: string): TestDatabase {
	return {
		engine: 'postgres',
		env: { DATABASE_URL: url },
		query: async <T>(sql: string, ...params: unknown[]) => {
			const client = new pg.Client({ connectionString: url, types });
			await client.connect();
			try {
				let n = 0;
				const result = await client.query(
					sql.replace(/\?/g, () => `$${++n}`),
					params
				);
				return result.rows as T[];
			} finally {
				await client.end();
			}
		},
		integrity: async () => 'ok'
	};
}

/** bigint (counts) and numeric (sums of bigint) read as numbers, as SQLite gives them. */
const types = {
	getTypeParser: ((oid: number, format?: 'text') =>
		oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
			? Number
			: pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};
