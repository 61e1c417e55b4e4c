import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Db } from './types';

// PostgreSQL beside SQLite (index.ts): a pool of connections to a server that several app
// instances may share, with drizzle's node-postgres driver and the migrations in drizzle-pg/
// (generated from pg-schema.ts, which derives PostgreSQL's tables from schema.ts). The services
// build their queries from schema.ts's table objects on both engines: the tables have the same
// names and columns, and values are stored alike (pg-schema.ts).

export type PgDb = NodePgDatabase & { $client: pg.Pool };

export interface PostgresOptions {
	/** Connections this instance keeps open at most (pg's `max`); default 10. The server's
	 * `max_connections` is shared by every instance, so instances × poolSize must stay below it. */
	poolSize?: number;
	/** The server cancels a statement that runs longer (SQLSTATE 57014); default 30 s, 0 for none.
	 * Migrations run without it. */
	statementTimeoutMs?: number;
	/** How long to wait for a new connection before failing; default 10 s. */
	connectTimeoutMs?: number;
}

/** The options of `DATABASE_POOL_SIZE`, `DATABASE_STATEMENT_TIMEOUT_MS` and
 * `DATABASE_CONNECT_TIMEOUT_MS`; the defaults for any not set. */
export function postgresOptionsFromEnv(env: Record<string, string | undefined>): PostgresOptions {
	const number = (name: string, min: number): number | undefined => {
		const text = env[name];
		if (text === undefined || text === '') return undefined;
		const value = Number(text);
		if (!Number.isInteger(value) || value < min) {
			throw new Error(`${name} must be a whole number of at least ${min}, not "${text}"`);
		}
		return value;
	};
	return {
		poolSize: number('DATABASE_POOL_SIZE', 1),
		statementTimeoutMs: number('DATABASE_STATEMENT_TIMEOUT_MS', 0),
		connectTimeoutMs: number('DATABASE_CONNECT_TIMEOUT_MS', 1)
	};
}

export const defaultPostgresOptions = {
	poolSize: 10,
	statementTimeoutMs: 30_000,
	connectTimeoutMs: 10_000
} satisfies Required<PostgresOptions>;

/**
 * The pool's configuration for `url` (postgres://user:password@host:port/database?…).
 *
 * TLS follows the URL's `sslmode` as psql and libpq read it: `disable` none; `prefer` and
 * `require` encrypted without checking the server's certificate (`require` with `sslrootcert`
 * checks it against that CA, as `verify-ca` does, without the host name); `verify-full`
 * encrypted, the certificate checked against the system's CAs (or `sslrootcert=/path/ca.pem`)
 * and the host name. Without `sslmode`, no TLS (unlike libpq, pg does not try TLS first).
 * `sslcert` and `sslkey` give a client certificate.
 */
export function poolConfig(url: string, options: PostgresOptions = {}): pg.PoolConfig {
	const { poolSize, statementTimeoutMs, connectTimeoutMs } = {
		...defaultPostgresOptions,
		...withoutUndefined(options)
	};
	const parsed = new URL(url);
	// pg reads require and verify-ca as verify-full unless asked for libpq's meaning.
	if (parsed.searchParams.has('sslmode') && !parsed.searchParams.has('uselibpqcompat')) {
		parsed.searchParams.set('uselibpqcompat', 'true');
	}
	return {
		connectionString: parsed.toString(),
		max: poolSize,
		statement_timeout: statementTimeoutMs > 0 ? statementTimeoutMs : undefined,
		connectionTimeoutMillis: connectTimeoutMs,
		application_name: 'pilot-impact'
	};
}

// bigint (counts, sums of integers, event ids) and numeric (sums of bigint) are read as numbers,
// as SQLite gives them: every such value Pilot Impact stores is exact below 2^53. Set for the
// whole process, because drizzle reads each query's parsers from pg's global table.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A pool of connections to `url` under drizzle; nothing is connected before the first query. */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
	const pool = new pg.Pool(poolConfig(url, options));
	// An idle connection the server closed (a restart, a fail-over) is dropped from the pool and
	// replaced on the next query; without a listener, its error would end the process. Once the
	// pool is closing, its connections may still hear of a server's shutdown: nothing to say.
	pool.on('error', (error) => {
		if (pool.ending) return;
		console.error(`Pilot Impact: an idle PostgreSQL connection failed: ${error.message}`);
	});
	// A connection lost while in use fails the query under way (its request answers 503) and
	// then also emits the error on its client: without a listener, that would end the process.
	pool.on('connect', (client) => {
		client.on('error', (error) => {
			if (pool.ending) return;
			console.error(`Pilot Impact: a PostgreSQL connection was lost: ${error.message}`);
		});
	});
	return drizzle({ client: pool }) as unknown as Db;
}

/** The advisory lock the instances take to migrate one at a time (any fixed bigint). */
export const migrationLock = 0x5049_4d49;

/**
 * Applies the migrations of drizzle-pg/ not yet applied (drizzle records them in
 * drizzle.__drizzle_migrations), in one transaction. Safe when several instances start at once:
 * each takes a session-level advisory lock first, so one migrates while the others wait, and
 * then they find nothing to do. The lock is held on a connection of its own (the pool's settings,
 * outside the pool), which also runs the migrations without statement timeout and is closed
 * afterwards; a connection lost on the way releases the lock with it.
 */
export async function migratePostgres(
	db: Db,
	migrationsFolder = resolve('drizzle-pg')
): Promise<void> {
	const client = new pg.Client(poolOf(db).options);
	// A failure reaches the caller through the query under way; the event would end the process.
	client.on('error', () => undefined);
	await client.connect();
	try {
		await client.query('SET statement_timeout = 0');
		await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
		await migrate(drizzle({ client }), { migrationsFolder });
		await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
	} finally {
		await client.end();
	}
}

/** Closes the pool's connections, once the queries under way have finished. */
export async function closePostgres(db: Db): Promise<void> {
	await poolOf(db).end();
}

/** The pool under a PostgreSQL `Db`. */
export function poolOf(db: Db): pg.Pool {
	return (db as unknown as PgDb).$client;
}
