import { AsyncLocalStorage } from 'node:async_hooks';
import { is, sql } from 'drizzle-orm';
import { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { statement } from './prepared';
import type { Db } from './types';

// How a service runs its statements on either engine (docs/architecture.md, "The data layer").
//
// Queries are built with drizzle on `db` (typed as SQLite's; on PostgreSQL the same builders,
// made by drizzle's pg dialect from the same table objects), and run through `first`, `rows` or
// `run`. Plain SQL with `?` placeholders runs through `sqlFirst`, `sqlRows` and `sqlRun`; it is
// written once, in the SQL both engines read. A query is never awaited by itself, nor run with
// SQLite's `.get()`/`.all()`/`.run()`: these functions are what keeps the two engines alike.
//
// `transaction(db, work)` runs `work(tx)` in one transaction; every statement of the work uses
// `tx`. On PostgreSQL, a write transaction first takes one advisory lock that every writing
// transaction takes, so writes are serialised across instances as SQLite serialises them: a
// read and the write it leads to see the same data, with no retry loop. A read transaction is
// REPEATABLE READ (one snapshot for all its reads) and takes no lock.
//
// A transaction's work runs one step at a time: no `Promise.all` over steps that write or open
// transactions of their own (savepoints are a stack on both engines, and a PostgreSQL
// connection runs one statement at a time anyway).
//
// On SQLite the work may await between statements, and other requests' statements could then run
// on the one connection inside the open transaction. So a transaction holds this process's turn
// (`turn`) from BEGIN to COMMIT, and every statement outside it waits for the turn first: nothing
// outside a transaction sees its uncommitted rows, or commits or rolls back with it.

/** A drizzle query built on a SQLite-typed `Db`; on PostgreSQL it is a promise of its result. */
interface SqliteQuery<Get, All> {
	get(): Get;
	all(): All;
	run(): { changes: number };
}

interface PgQueryResult {
	rows: Record<string, unknown>[];
	rowCount: number | null;
}

export type Engine = 'sqlite' | 'postgres';

/** Whether `db` (a database or a transaction's handle) is on PostgreSQL. */
export function isPostgres(db: Db): boolean {
	return is(db, PgDatabase);
}

export function engineOf(db: Db): Engine {
	return isPostgres(db) ? 'postgres' : 'sqlite';
}

/** The query's first row, or undefined. */
export async function first<T>(query: Pick<SqliteQuery<T, unknown>, 'get'>): Promise<T> {
	if (!isPgQuery(query)) {
		while (waiting()) await held?.over;
		return query.get();
	}
	const result = (await query) as unknown;
	return (Array.isArray(result) ? result[0] : (result as PgQueryResult).rows[0]) as T;
}

/** Every row of the query. */
export async function rows<T>(query: Pick<SqliteQuery<unknown, T[]>, 'all'>): Promise<T[]> {
	if (!isPgQuery(query)) {
		while (waiting()) await held?.over;
		return query.all();
	}
	const result = (await query) as unknown;
	return (Array.isArray(result) ? result : (result as PgQueryResult).rows) as T[];
}

/** Runs an insert, update or delete; how many rows it changed. */
export async function run(query: Pick<SqliteQuery<unknown, unknown>, 'run'>): Promise<number> {
	if (!isPgQuery(query)) {
		while (waiting()) await held?.over;
		return query.run().changes;
	}
	const result = (await query) as unknown;
	return Array.isArray(result) ? result.length : ((result as PgQueryResult).rowCount ?? 0);
}

/** The first row of plain SQL with `?` placeholders, or undefined. */
export async function sqlFirst<T>(
	db: Db,
	text: string,
	...params: unknown[]
): Promise<T | undefined> {
	if (isPostgres(db)) return (await pgExecute(db, text, params)).rows[0] as T | undefined;
	while (waiting()) await held?.over;
	return statement(db, text).get(...params) as T | undefined;
}

/** Every row of plain SQL with `?` placeholders. */
export async function sqlRows<T>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
	if (isPostgres(db)) return (await pgExecute(db, text, params)).rows as T[];
	while (waiting()) await held?.over;
	return statement(db, text).all(...params) as T[];
}

/** Runs plain SQL with `?` placeholders; how many rows it changed. */
export async function sqlRun(db: Db, text: string, ...params: unknown[]): Promise<number> {
	if (isPostgres(db)) return (await pgExecute(db, text, params)).rowCount ?? 0;
	while (waiting()) await held?.over;
	return statement(db, text).run(...params).changes;
}

export interface TransactionOptions {
	/** A transaction that only reads: one consistent view, no write lock. Default false. */
	readOnly?: boolean;
}

/**
 * Runs `work` in one transaction on `db`, committed when it resolves and rolled back when it
 * throws. Inside another transaction (`db` is its `tx`), it is a savepoint of that one.
 */
export async function transaction<T>(
	db: Db,
	work: (tx: Db) => Promise<T>,
	options: TransactionOptions = {}
): Promise<T> {
	return isPostgres(db) ? pgTransaction(db, work, options) : sqliteTransaction(db, work, options);
}

// PostgreSQL

/** The advisory lock every writing transaction takes (any fixed bigint, not the migrations'). */
export const writeLock = 0x5049_5752;

async function pgTransaction<T>(
	db: Db,
	work: (tx: Db) => Promise<T>,
	{ readOnly = false }: TransactionOptions
): Promise<T> {
	const pgDb = db as unknown as PgDatabase<never>;
	if (is(pgDb, PgTransaction)) return pgDb.transaction((tx) => work(tx as unknown as Db));
	if (readOnly) {
		return pgDb.transaction((tx) => work(tx as unknown as Db), {
			isolationLevel: 'repeatable read',
			accessMode: 'read only'
		});
	}
	return pgDb.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${writeLock})`);
		return work(tx as unknown as Db);
	});
}

function isPgQuery(query: object): boolean {
	return typeof (query as { get?: unknown }).get !== 'function';
}

/** Plain SQL as PostgreSQL reads it: `?` numbered $1, $2…, under a statement name of its own. */
const pgStatements = new Map<string, { name: string; text: string; placeholders: number }>();

/**
 * Runs plain SQL on the connection of `db` (the pool, or the transaction's connection) as a
 * named prepared statement: each connection parses and plans it once, as better-sqlite3's
 * prepared statements are on SQLite. The many-row inserts of ingestion would otherwise be
 * parsed again for every batch.
 */
async function pgExecute(db: Db, text: string, params: unknown[]): Promise<PgQueryResult> {
	let prepared = pgStatements.get(text);
	if (!prepared) {
		let n = 0;
		const numbered = text.replace(/\?/g, () => `$${++n}`);
		prepared = { name: `pilot_impact_${pgStatements.size + 1}`, text: numbered, placeholders: n };
		pgStatements.set(text, prepared);
	}
	if (prepared.placeholders !== params.length) {
		throw new Error(`${prepared.placeholders} placeholders but ${params.length} values: ${text}`);
	}
	const { client } = (db as unknown as { session: { client: pg.Pool | pg.PoolClient } }).session;
	return client.query({
		name: prepared.name,
		text: prepared.text,
		values: params.map((param) => param ?? null)
	});
}

// SQLite

const turnOwner = new AsyncLocalStorage<symbol>();
let held: { owner: symbol; over: Promise<void> } | null = null;
let savepoints = 0;

/**
 * Whether a transaction of another async flow holds the connection. Callers wait in a loop
 * (`while (waiting()) await held?.over`) and run their statement in the same synchronous step
 * as the last check, so no transaction can begin in between.
 */
function waiting(): boolean {
	return held !== null && turnOwner.getStore() !== held.owner;
}

async function sqliteTransaction<T>(
	db: Db,
	work: (tx: Db) => Promise<T>,
	{ readOnly = false }: TransactionOptions
): Promise<T> {
	const client = db.$client;
	if (held !== null && turnOwner.getStore() === held.owner) {
		const name = `pilot_impact_${++savepoints}`;
		client.exec(`SAVEPOINT ${name}`);
		try {
			const result = await work(db);
			client.exec(`RELEASE ${name}`);
			return result;
		} catch (error) {
			client.exec(`ROLLBACK TO ${name}`);
			client.exec(`RELEASE ${name}`);
			throw error;
		}
	}
	while (held !== null) await held.over;
	const owner = Symbol('transaction');
	let end = () => {};
	held = { owner, over: new Promise((resolve) => (end = resolve)) };
	try {
		client.exec(readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
		const result = await turnOwner.run(owner, () => work(db));
		client.exec('COMMIT');
		return result;
	} catch (error) {
		if (client.inTransaction) client.exec('ROLLBACK');
		throw error;
	} finally {
		held = null;
		end();
	}
}
