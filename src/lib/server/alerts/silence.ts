import { silentDaysRule } from '$lib/domain/alerts';
import type { Db } from '../db';
import { sqlFirst, sqlRun } from '../db/statements';

// The pilot's N for `data.silent`: working days without new events before the alert. It is
// kept beside the alerts' other state of the pilot (`alert_state.silent_days`).

export async function silentDaysOf(db: Db, pilotId: number): Promise<number> {
	const row = await sqlFirst<{ silent_days: number }>(
		db,
		'SELECT silent_days FROM alert_state WHERE pilot_id = ?',
		pilotId
	);
	return row?.silent_days ?? silentDaysRule.default;
}

/** Stores N and marks the pilot for evaluation, so the new N applies within a second. */
export async function storeSilentDays(db: Db, pilotId: number, days: number): Promise<void> {
	await sqlRun(
		db,
		`INSERT INTO alert_state (pilot_id, dirty, silent_days) VALUES (?, 1, ?)
		 ON CONFLICT (pilot_id) DO UPDATE SET silent_days = excluded.silent_days,
		   dirty = alert_state.dirty + 1`,
		pilotId,
		days
	);
}
