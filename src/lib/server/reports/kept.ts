import type { Db } from '../db';
import { transaction } from '../db/statements';

// What the reports keep between calls is kept per database, and always checked against a version
// read from it in the same transaction (reports.ts, primary-daily.ts).

/** The database (its key) of the read transactions opened by `readTransaction`. */
const databaseOf = new WeakMap<object, object>();

/**
 * The key a database's kept reads live under: SQLite's connection, or PostgreSQL's pool (also
 * for a transaction opened on it by `readTransaction`). Any other PostgreSQL transaction's handle
 * names neither: what is read through it is kept under the handle, for as long as it lives, so
 * nothing read inside a write that may yet roll back is kept for others.
 */
export function keptUnder(db: Db): object {
	return databaseOf.get(db) ?? (db.$client as object | undefined) ?? db;
}

/** `work` in a read transaction on `db` (a savepoint inside one), its reads kept as `db`'s. */
export function readTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
	const key = keptUnder(db);
	return transaction(
		db,
		(tx) => {
			if (tx !== db) databaseOf.set(tx, key);
			return work(tx);
		},
		{ readOnly: true }
	);
}
