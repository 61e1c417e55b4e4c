import { readFileSync } from 'node:fs';
import type { Db } from '../../src/lib/server/db';

// Migration tests need a database "as it was before" a migration. The migrations from there on
// only create tables of their own or add columns, so undoing them is dropping those columns and
// tables and forgetting the migrations; the next start applies them again, back-fills included.

/** A migration's statement that adds a column: undone by dropping it. */
const ADDED_COLUMN = /ALTER TABLE `([^`]+)` ADD `([^`]+)`[^;]*;/g;

const journal = (): { entries: { tag: string }[] } =>
	JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8'));

/** The tables a migration creates, in its order. */
export function tablesCreatedBy(tag: string): string[] {
	const sql = readFileSync(`drizzle/${tag}.sql`, 'utf8');
	return [...sql.matchAll(/CREATE TABLE `([^`]+)`/g)].map((m) => m[1]);
}

/** The CREATE TABLE statement of one table as a migration wrote it. */
export function createStatement(tag: string, table: string): string {
	const sql = readFileSync(`drizzle/${tag}.sql`, 'utf8');
	const statement = sql
		.split('--> statement-breakpoint')
		.find((s) => s.includes(`CREATE TABLE \`${table}\``));
	if (statement === undefined) throw new Error(`${tag} does not create ${table}`);
	return statement;
}

/** Undoes the migration `tag` and every later one: their tables dropped, their records gone. */
export function rollBackFrom(db: Db, tag: string): void {
	const entries = journal().entries;
	const at = entries.findIndex((e) => e.tag === tag);
	if (at < 0) throw new Error(`no migration ${tag}`);
	const undone = entries.slice(at);
	for (const entry of [...undone].reverse()) {
		const sql = readFileSync(`drizzle/${entry.tag}.sql`, 'utf8').replace(ADDED_COLUMN, '');
		if (/ALTER TABLE|TRIGGER/.test(sql)) {
			throw new Error(`${entry.tag} changes older tables: it cannot be undone by drops`);
		}
	}
	db.$client.pragma('foreign_keys = OFF');
	for (const entry of [...undone].reverse()) {
		const sql = readFileSync(`drizzle/${entry.tag}.sql`, 'utf8');
		for (const [, table, column] of [...sql.matchAll(ADDED_COLUMN)].reverse()) {
			db.$client.exec(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
		}
		for (const table of tablesCreatedBy(entry.tag).reverse()) {
			db.$client.exec(`DROP TABLE IF EXISTS "${table}"`);
		}
	}
	db.$client.pragma('foreign_keys = ON');
	db.$client
		.prepare(
			`DELETE FROM __drizzle_migrations WHERE rowid IN
			 (SELECT rowid FROM __drizzle_migrations ORDER BY created_at DESC LIMIT ?)`
		)
		.run(undone.length);
}
