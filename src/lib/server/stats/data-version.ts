import { statement, type Db } from '../db';

// A pilot's data version (`data_versions` in the schema): a counter raised in every transaction
// that changes the pilot's rollups. What a process derives from the rollups may be kept while
// the stored counter is unchanged. It lives in the database, not in a process, so every
// instance on one database (SQLite today, PostgreSQL later) sees the same counter and none
// keeps numbers another has already changed.

/** Raises the pilot's data version, in the caller's transaction; the new version. */
export function bumpDataVersion(db: Db, pilotId: number): number {
	return statement(
		db,
		`INSERT INTO data_versions (pilot_id, version) VALUES (?, 1)
		 ON CONFLICT (pilot_id) DO UPDATE SET version = version + 1 RETURNING version`
	)
		.pluck()
		.get(pilotId) as number;
}

/**
 * Marks `days` of the pilot as changed at `version` (`daily_versions`), in the transaction
 * that raised the version to it: every change to a day's `daily_stats` rows marks the day.
 * Under the version's row lock (PostgreSQL) or the write lock (SQLite), versions are given in
 * commit order, so a reader that saw version v has seen every day marked at v or below.
 */
export function markDaysChanged(
	db: Db,
	pilotId: number,
	version: number,
	days: Iterable<string>
): void {
	const mark = statement(
		db,
		`INSERT INTO daily_versions (pilot_id, day, version) VALUES (?, ?, ?)
		 ON CONFLICT (pilot_id, day) DO UPDATE SET version = excluded.version`
	);
	for (const day of days) mark.run(pilotId, day, version);
}

/** Marks every day of the pilot ever marked as changed at `version`: its rows were emptied. */
export function markAllDaysChanged(db: Db, pilotId: number, version: number): void {
	statement(db, 'UPDATE daily_versions SET version = ? WHERE pilot_id = ?').run(version, pilotId);
}

/** The pilot's data version; 0 before anything was stored. */
export function dataVersion(db: Db, pilotId: number): number {
	const row = statement(db, 'SELECT version FROM data_versions WHERE pilot_id = ?').get(pilotId) as
		{ version: number } | undefined;
	return row?.version ?? 0;
}
