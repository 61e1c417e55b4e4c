import { statement, type Db } from '../db';

// A pilot's data version (`data_versions` in the schema): a counter raised in every transaction
// that changes the pilot's rollups. What a process derives from the rollups may be kept while
// the stored counter is unchanged. It lives in the database, not in a process, so every
// instance on one database (SQLite today, PostgreSQL later) sees the same counter and none
// keeps numbers another has already changed.

/** Raises the pilot's data version, in the caller's transaction. */
export function bumpDataVersion(db: Db, pilotId: number): void {
	statement(
		db,
		`INSERT INTO data_versions (pilot_id, version) VALUES (?, 1)
		 ON CONFLICT (pilot_id) DO UPDATE SET version = version + 1`
	).run(pilotId);
}

/** The pilot's data version; 0 before anything was stored. */
export function dataVersion(db: Db, pilotId: number): number {
	const row = statement(db, 'SELECT version FROM data_versions WHERE pilot_id = ?').get(pilotId) as
		{ version: number } | undefined;
	return row?.version ?? 0;
}
