import { silentDaysRule } from '$lib/domain/alerts';
import { statement, type Db } from '../db';

// The pilot's N for `data.silent`: working days without new events before the alert. It is
// kept beside the alerts' other state of the pilot (`alert_state.silent_days`).

export function silentDaysOf(db: Db, pilotId: number): number {
	const row = statement(db, 'SELECT silent_days FROM alert_state WHERE pilot_id = ?').get(
		pilotId
	) as { silent_days: number } | undefined;
	return row?.silent_days ?? silentDaysRule.default;
}

/** Stores N and marks the pilot for evaluation, so the new N applies within a second. */
export function storeSilentDays(db: Db, pilotId: number, days: number): void {
	statement(
		db,
		`INSERT INTO alert_state (pilot_id, dirty, silent_days) VALUES (?, 1, ?)
		 ON CONFLICT (pilot_id) DO UPDATE SET silent_days = excluded.silent_days, dirty = dirty + 1`
	).run(pilotId, days);
}
