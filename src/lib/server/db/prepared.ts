import type { Statement } from 'better-sqlite3';
import type { Db } from './types';

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
