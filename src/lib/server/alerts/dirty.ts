import type { Db } from '../db';
import { sqlRun } from '../db/statements';

// The one thing the write paths know of alerts: "this pilot changed". It costs one upsert in
// the change's own transaction; the evaluation runs later, in the background (scheduler.ts), and
// a crash in between leaves the mark for the next start.

/**
 * Marks a pilot for re-evaluation; `eventsAt` when the change stored new events (the clock
 * `data.silent` counts from). Inside a transaction, `db` is its `tx`.
 */
export async function markDirty(
	db: Db,
	pilotId: number,
	eventsAt: Date | null = null
): Promise<void> {
	await sqlRun(
		db,
		`INSERT INTO alert_state (pilot_id, dirty, last_event_at) VALUES (?, 1, ?)
		 ON CONFLICT (pilot_id) DO UPDATE SET dirty = alert_state.dirty + 1,
		   last_event_at = coalesce(excluded.last_event_at, alert_state.last_event_at)`,
		pilotId,
		eventsAt ? eventsAt.toISOString() : null
	);
}
