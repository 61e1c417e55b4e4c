import { getTableName, is } from 'drizzle-orm';
import {
	getTableConfig,
	SQLiteTable as SQLiteTableClass,
	type SQLiteTable
} from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { migratePostgres, poolOf } from '../db/postgres';
import * as schema from '../db/schema';
import { sqlFirst, sqlRows, writeLock } from '../db/statements';
import type { Db } from '../db/types';
import { readState } from '../pilots/plan-state';
import { impactReport } from '../reports/reports';

// Moving up: copies a SQLite database into an empty PostgreSQL one (`npm run db:move`), then
// checks both sides: the rows of every table, and every pilot's impact report computed on each
// engine at the same moment. Values are stored alike on both engines (pg-schema.ts), so rows
// copy as they are, ids included; the identity sequences then continue after the copied ids.

export interface MoveResult {
	tables: { table: string; rows: number }[];
	pilots: { slug: string; same: boolean }[];
	problems: string[];
}

/** Tables in an order where every row's foreign keys point at rows already copied. */
export function tablesInCopyOrder(): SQLiteTable[] {
	const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable =>
		is(value, SQLiteTableClass)
	);
	const ordered: SQLiteTable[] = [];
	const placed = new Set<string>();
	while (ordered.length < tables.length) {
		const ready = tables.filter(
			(table) =>
				!placed.has(getTableName(table)) &&
				getTableConfig(table).foreignKeys.every((key) => {
					const target = getTableName(key.reference().foreignTable);
					return target === getTableName(table) || placed.has(target);
				})
		);
		if (ready.length === 0) throw new Error('the tables’ foreign keys form a cycle');
		for (const table of ready) {
			ordered.push(table);
			placed.add(getTableName(table));
		}
	}
	return ordered;
}

/** The tables of `target` that hold rows (an empty list means it may receive a move). */
export async function nonEmptyTables(target: Db): Promise<string[]> {
	const found: string[] = [];
	for (const table of tablesInCopyOrder()) {
		const name = getTableName(table);
		if (await sqlFirst(target, `SELECT 1 FROM "${name}" LIMIT 1`)) found.push(name);
	}
	return found;
}

// PostgreSQL takes at most 65535 parameters in one statement.
const MAX_PARAMETERS = 60_000;
const READ_PAGE = 5_000;

/**
 * Copies every table of `source` (SQLite, migrated) into `target` (PostgreSQL) in one
 * transaction: either all rows arrive or none. Refuses a target that holds any row.
 */
export async function copyDatabase(
	source: Db,
	target: Db,
	progress: (table: string, rows: number) => void = () => {}
): Promise<{ table: string; rows: number }[]> {
	await migratePostgres(target);
	const occupied = await nonEmptyTables(target);
	if (occupied.length > 0) {
		throw new Error(
			`the target database is not empty (rows in ${occupied.join(', ')}): a move writes only into an empty database`
		);
	}
	const client = await poolOf(target).connect();
	const copied: { table: string; rows: number }[] = [];
	try {
		await client.query('BEGIN');
		// No other writer while the move runs: the app's write transactions take the same lock.
		await client.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
		await client.query('SET LOCAL statement_timeout = 0');
		for (const table of tablesInCopyOrder()) {
			const name = getTableName(table);
			const rows = await copyTable(source, client, name, (n) => progress(name, n));
			copied.push({ table: name, rows });
		}
		for (const table of tablesInCopyOrder()) await advanceIdentity(client, getTableName(table));
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
	return copied;
}

async function copyTable(
	source: Db,
	client: pg.PoolClient,
	table: string,
	progress: (rows: number) => void
): Promise<number> {
	const sqlite = source.$client;
	const columns = (await sqlRows<{ name: string }>(source, `PRAGMA table_info("${table}")`)).map(
		(c) => c.name
	);
	const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
	const quoted = columns.map((c) => `"${c}"`).join(', ');
	const read = sqlite.prepare(
		`SELECT rowid AS __rowid, ${quoted} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ?`
	);
	let after = 0;
	let total = 0;
	for (;;) {
		const page = read.all(after, READ_PAGE) as Record<string, unknown>[];
		if (page.length === 0) break;
		after = page[page.length - 1].__rowid as number;
		for (let start = 0; start < page.length; start += perInsert) {
			const rows = page.slice(start, start + perInsert);
			const values: unknown[] = [];
			const tuples = rows.map((row) => {
				const marks = columns.map((column) => {
					values.push(row[column]);
					return `$${values.length}`;
				});
				return `(${marks.join(', ')})`;
			});
			await client.query(`INSERT INTO "${table}" (${quoted}) VALUES ${tuples.join(', ')}`, values);
		}
		total += page.length;
		progress(total);
	}
	return total;
}

/** After ids were inserted as they were, the table's identity continues after the largest. */
async function advanceIdentity(client: pg.PoolClient, table: string): Promise<void> {
	const { rows } = await client.query<{ sequence: string | null }>(
		`SELECT pg_get_serial_sequence($1, 'id') AS sequence
		 FROM information_schema.columns
		 WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`,
		[table]
	);
	const sequence = rows[0]?.sequence;
	if (!sequence) return;
	await client.query(
		`SELECT setval($1, coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false)`,
		[sequence]
	);
}

/** Rows per table on each side; a line for each table whose counts differ. */
export async function compareCounts(source: Db, target: Db): Promise<string[]> {
	const problems: string[] = [];
	for (const table of tablesInCopyOrder()) {
		const name = getTableName(table);
		const count = async (db: Db) =>
			(await sqlFirst<{ n: number }>(db, `SELECT count(*) AS n FROM "${name}"`))?.n;
		const [here, there] = [await count(source), await count(target)];
		if (here !== there) problems.push(`${name}: ${here} rows in SQLite, ${there} in PostgreSQL`);
	}
	return problems;
}

/**
 * Every pilot's impact report computed on both engines for the same moment, compared in full
 * (every number, every reason). Returns one entry per pilot.
 */
export async function compareReports(
	source: Db,
	target: Db,
	now: Date = new Date()
): Promise<{ slug: string; same: boolean }[]> {
	const slugs = (
		await sqlRows<{ slug: string }>(source, 'SELECT slug FROM pilots ORDER BY id')
	).map((r) => r.slug);
	const results: { slug: string; same: boolean }[] = [];
	for (const slug of slugs) {
		const report = async (db: Db) => {
			const state = await readState(slug, db);
			return state ? JSON.stringify(await impactReport(state, now, db)) : null;
		};
		results.push({ slug, same: (await report(source)) === (await report(target)) });
	}
	return results;
}

/** The whole move: copy, then check counts and reports. */
export async function moveDatabase(
	source: Db,
	target: Db,
	progress?: (table: string, rows: number) => void
): Promise<MoveResult> {
	const tables = await copyDatabase(source, target, progress);
	const problems = await compareCounts(source, target);
	const pilots = await compareReports(source, target);
	for (const pilot of pilots) {
		if (!pilot.same) problems.push(`${pilot.slug}: the impact reports differ`);
	}
	return { tables, pilots, problems };
}
