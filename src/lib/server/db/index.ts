import Database, { type Statement } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const defaultDatabasePath = './data/pilot-impact.db';

/**
 * Opens (creating the file and its folder) and migrates a database. WAL lets readers run
 * beside the one writer; synchronous=NORMAL in WAL mode never corrupts the file, and on a
 * power loss (not a process crash) may lose only the last transactions committed before it.
 */
export function openDatabase(path: string, migrationsFolder = resolve('drizzle')): Db {
	if (path !== ':memory:') createPrivately(resolve(path));
	const client = new Database(path);
	client.pragma('journal_mode = WAL');
	client.pragma('synchronous = NORMAL');
	client.pragma('foreign_keys = ON');
	client.pragma('busy_timeout = 5000');
	const db = drizzle(client, { schema });
	migrate(db, { migrationsFolder });
	return db;
}

/**
 * The file holds password hashes and every pilot's data: a new file and any folder made for it
 * are the owner's only (SQLite gives its -wal and -shm files the file's permissions). An
 * existing file keeps the permissions its operator chose.
 */
function createPrivately(file: string): void {
	mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
	if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
}

let instance: Db | null = null;

/** The app's database, opened on first use so that building the app never touches it. */
export function getDb(): Db {
	instance ??= openDatabase(process.env.DATABASE_PATH || defaultDatabasePath);
	return instance;
}

/**
 * Closes the app's database at shutdown, after the server has finished its requests: the
 * close checkpoints the WAL into the main file, so the next start has nothing to replay.
 */
export function closeDb(): void {
	if (instance === null) return;
	instance.$client.close();
	instance = null;
}

// Statements and drizzle queries are prepared once per connection: preparing costs more than
// running the small queries of reports, ingestion and the checks every API request makes.
const preparedCache = new WeakMap<object, Map<string, unknown>>();

/** What `build` makes for this connection under `key`, made on first use and kept. */
export function preparedQuery<T>(db: Db, key: string, build: (db: Db) => T): T {
	let prepared = preparedCache.get(db.$client);
	if (!prepared) {
		prepared = new Map();
		preparedCache.set(db.$client, prepared);
	}
	if (!prepared.has(key)) prepared.set(key, build(db));
	return prepared.get(key) as T;
}

/** The connection's prepared statement for `sql`, prepared on first use. */
export function statement(db: Db, sql: string): Statement {
	return preparedQuery(db, sql, (d) => d.$client.prepare(sql));
}
