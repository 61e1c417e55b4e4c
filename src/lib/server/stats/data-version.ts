import type { Db } from '../db';
import { sqlFirst, sqlRun } from '../db/statements';
import { RowsInsert } from './insert-rows';

// A pilot's data version (`data_versions` in the schema): a counter raised in every transaction
// that changes the pilot's rollups. What a process derives from the rollups may be kept while
// the stored counter is unchanged. It lives in the database, not in a process, so every
// instance on one database (SQLite or PostgreSQL) sees the same counter and none keeps numbers
// another has already changed.

/** Raises the pilot's data version, in the caller's transaction; the new version. */
export async function bumpDataVersion(db: Db, pilotId: number): Promise<number> {
	const row = await sqlFirst<{ version: number }>(
		db,
		`INSERT INTO data_versions (pilot_id, version) VALUES (?, 1)
		 ON CONFLICT (pilot_id) DO UPDATE SET version = data_versions.version + 1 RETURNING version`,
		pilotId
	);
	return row!.version;
}

const markDays = new RowsInsert(
	'INSERT INTO daily_versions (pilot_id, day, version)',
	3,
	'ON CONFLICT (pilot_id, day) DO UPDATE SET version = excluded.version'
);

/**
 * Marks `days` of the pilot as changed at `version` (`daily_versions`), in the transaction
 * that raised the version to it: every change to a day's `daily_stats` rows marks the day.
 * Under the version's row lock (PostgreSQL) or the write lock (SQLite), versions are given in
 * commit order, so a reader that saw version v has seen every day marked at v or below.
 */
export async function markDaysChanged(
	db: Db,
	pilotId: number,
	version: number,
	days: Iterable<string>
): Promise<void> {
	const values: unknown[] = [];
	// A day given twice would be one row changed twice in a statement: PostgreSQL refuses that.
	for (const day of new Set(days)) values.push(pilotId, day, version);
	await markDays.run(db, values);
}

/** Marks every day of the pilot ever marked as changed at `version`: its rows were emptied. */
export async function markAllDaysChanged(db: Db, pilotId: number, version: number): Promise<void> {
	await sqlRun(db, 'UPDATE daily_versions SET version = ? WHERE pilot_id = ?', version, pilotId);
}

/** The pilot's data version; 0 before anything was stored. */
export async function dataVersion(db: Db, pilotId: number): Promise<number> {
	const row = await sqlFirst<{ version: number }>(
		db,
		'SELECT version FROM data_versions WHERE pilot_id = ?',
		pilotId
	);
	return row?.version ?? 0;
}
