import type { Statement } from 'better-sqlite3';
import type { Db } from './types';

// SQLite's statements are prepared once per connection: preparing costs more than running the
// small queries of reports, ingestion and the checks every API request makes.
const preparedCache = new WeakMap<object, Map<string, Statement>>();

/** The connection's prepared statement for `sql`, prepared on first use. */
export function statement(db: Db, sql: string): Statement {
	let prepared = preparedCache.get(db.$client);
	if (!prepared) {
		prepared = new Map();
		preparedCache.set(db.$client, prepared);
	}
	let found = prepared.get(sql);
	if (!found) {
		found = db.$client.prepare(sql);
		prepared.set(sql, found);
	}
	return found;
}
