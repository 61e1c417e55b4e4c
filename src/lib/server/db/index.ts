import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';
import { closePostgres, migratePostgres, openPostgres, postgresOptionsFromEnv } from './postgres';
import { isPostgres } from './statements';
import type { Db } from './types';

export type { Db };

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

/**
 * The app's database, opened on first use so that building the app never touches it: the
 * PostgreSQL server of `DATABASE_URL` when it is set (its pool connects on the first query),
 * else the SQLite file of `DATABASE_PATH` (migrated as it opens).
 */
export function getDb(): Db {
	instance ??= openConfigured(process.env);
	return instance;
}

function openConfigured(env: Record<string, string | undefined>): Db {
	const url = env.DATABASE_URL;
	if (url) return openPostgres(url, postgresOptionsFromEnv(env));
	return openDatabase(env.DATABASE_PATH || defaultDatabasePath);
}

/**
 * Brings the app's database up to this build's schema before the first request: on PostgreSQL
 * the migrations of drizzle-pg/, one instance at a time; SQLite's file was migrated as it opened.
 */
export async function migrateDb(db: Db = getDb()): Promise<void> {
	if (isPostgres(db)) await migratePostgres(db);
}

/**
 * Closes the app's database at shutdown, after the server has finished its requests. On SQLite
 * the close checkpoints the WAL into the main file, so the next start has nothing to replay; on
 * PostgreSQL the pool's connections close.
 */
export async function closeDb(): Promise<void> {
	if (instance === null) return;
	const db = instance;
	instance = null;
	if (isPostgres(db)) await closePostgres(db);
	else db.$client.close();
}
