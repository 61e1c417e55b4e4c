// A little over 300 lines, on purpose: detecting a pilot's changes and storing them once are
// one transaction's work, kept in one file.

import { silentDaysRule, type AlertType } from '$lib/domain/alerts';
import { getDb, statement, type Db } from '../db';
import type { AlertRow, ObservedState } from '../db/schema';
import * as plans from '../pilots/plans';
import { impactReport } from '../reports/reports';
import { changes, clockAlerts, observe, unobserved, type AlertDraft } from './detect';
import { enqueueAlert } from './outbox';

// Alerts: a pilot marked dirty (dirty.ts) has its report computed once, here, and compared
// with what was observed last; the clock rules run for every running pilot on a tick. Each
// change is stored once (unique on pilot, type and the change's key) with its outbox rows.

interface StateRow {
	dirty: number;
	observed: string | null;
	version: number;
	last_event_at: string | null;
	silent_days: number;
}

function stateRow(db: Db, pilotId: number): StateRow | undefined {
	return statement(
		db,
		'SELECT dirty, observed, version, last_event_at, silent_days FROM alert_state WHERE pilot_id = ?'
	).get(pilotId) as StateRow | undefined;
}

function sameObservation(a: ObservedState, b: ObservedState): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Stores the drafts not stored yet and queues their deliveries; returns the new alerts. */
function raise(
	db: Db,
	pilot: { id: number; slug: string; name: string },
	drafts: AlertDraft[],
	origin: string,
	now: Date
): AlertRow[] {
	const insert = statement(
		db,
		`INSERT INTO alerts (pilot_id, type, key, title, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT (pilot_id, type, key) DO NOTHING RETURNING id`
	);
	const raised: AlertRow[] = [];
	for (const draft of drafts) {
		const createdAt = now.toISOString();
		const row = insert.get(
			pilot.id,
			draft.type,
			draft.key,
			draft.title,
			JSON.stringify(draft.data),
			createdAt
		) as { id: number } | undefined;
		if (!row) continue;
		const alert: AlertRow = { id: row.id, pilotId: pilot.id, createdAt, ...draft };
		enqueueAlert(db, alert, pilot, origin, now);
		raised.push(alert);
	}
	return raised;
}

/** Evaluates one pilot now: its report once, the clock rules, and what changed. */
export async function evaluatePilot(
	pilotId: number,
	origin: string,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<AlertRow[]> {
	// The report is read before the transaction that stores what it observed: a change marked
	// meanwhile raises `dirty` past `seen`, and the pilot stays dirty for the next round.
	const seen = stateRow(db, pilotId)?.dirty ?? 0;
	const state = await plans.readStateById(pilotId, db);
	if (!state) {
		statement(db, 'DELETE FROM alert_state WHERE pilot_id = ?').run(pilotId);
		return [];
	}
	const report = state.definition ? await impactReport(state, now, db, 'headline') : null;
	const observed = observe(report);
	return db.$client.transaction((): AlertRow[] => {
		const row = stateRow(db, pilotId);
		const before: ObservedState = row?.observed
			? (JSON.parse(row.observed) as ObservedState)
			: unobserved;
		const changed = !sameObservation(before, observed);
		const version = (row?.version ?? 0) + (changed ? 1 : 0);
		const drafts = [
			...(changed ? changes(before, observed, report, version) : []),
			...clockAlerts(
				{
					stage: state.pilot.stage,
					pilotStart: state.pilot.pilotStart,
					pilotEnd: state.pilot.pilotEnd,
					lastEventAt: row?.last_event_at ?? null,
					silentDays: row?.silent_days ?? silentDaysRule.default
				},
				now
			)
		];
		const raised = raise(db, state.pilot, drafts, origin, now);
		// A change marked while the report was computed keeps the pilot dirty for the next round.
		statement(
			db,
			`INSERT INTO alert_state (pilot_id, dirty, observed, version, evaluated_at) VALUES (?, 0, ?, ?, ?)
			 ON CONFLICT (pilot_id) DO UPDATE SET observed = excluded.observed, version = excluded.version,
			   evaluated_at = excluded.evaluated_at,
			   dirty = CASE WHEN alert_state.dirty = ? THEN 0 ELSE alert_state.dirty END`
		).run(pilotId, JSON.stringify(observed), version, now.toISOString(), seen);
		return raised;
	})();
}

/** Evaluates the pilots marked dirty, at most `limit` of them. */
export async function evaluateDirty(
	origin: string,
	now: Date = new Date(),
	db: Db = getDb(),
	limit = 20
): Promise<AlertRow[]> {
	const dirty = statement(db, 'SELECT pilot_id FROM alert_state WHERE dirty > 0 LIMIT ?').all(
		limit
	) as {
		pilot_id: number;
	}[];
	const raised: AlertRow[] = [];
	for (const row of dirty) raised.push(...(await evaluatePilot(row.pilot_id, origin, now, db)));
	return raised;
}

/** The clock rules for every running pilot: no report is computed. */
export async function tick(
	origin: string,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<AlertRow[]> {
	const running = statement(
		db,
		`SELECT p.id, p.slug, p.name, p.stage, p.pilot_start, p.pilot_end, s.last_event_at, s.silent_days
		 FROM pilots p LEFT JOIN alert_state s ON s.pilot_id = p.id WHERE p.stage = 'running'`
	).all() as {
		id: number;
		slug: string;
		name: string;
		stage: string;
		pilot_start: string | null;
		pilot_end: string | null;
		last_event_at: string | null;
		silent_days: number | null;
	}[];
	return db.$client.transaction(() =>
		running.flatMap((p) =>
			raise(
				db,
				p,
				clockAlerts(
					{
						stage: p.stage,
						pilotStart: p.pilot_start,
						pilotEnd: p.pilot_end,
						lastEventAt: p.last_event_at,
						silentDays: p.silent_days ?? silentDaysRule.default
					},
					now
				),
				origin,
				now
			)
		)
	)();
}

export interface AlertView {
	id: number;
	type: AlertType;
	title: string;
	createdAt: string;
	data: Record<string, unknown>;
	pilot: { slug: string; name: string };
	unread: boolean;
}

/**
 * The alerts of the pilots in `pilotIds` (`null`: every pilot), newest first, marked unread
 * when newer than the last the user saw.
 */
export async function listFor(
	userId: number,
	pilotIds: readonly number[] | null,
	limit = 100,
	db: Db = getDb()
): Promise<AlertView[]> {
	const seen = lastSeen(userId, db);
	const rows = statement(
		db,
		`SELECT a.id, a.type, a.title, a.created_at, a.data, p.slug, p.name
		 FROM alerts a JOIN pilots p ON p.id = a.pilot_id
		 WHERE (@ids IS NULL OR a.pilot_id IN (SELECT value FROM json_each(@ids)))
		   AND a.type NOT IN (SELECT value FROM json_each(@types))
		   AND a.pilot_id NOT IN (SELECT value FROM json_each(@pilots))
		 ORDER BY a.id DESC LIMIT @limit`
	).all({ ...(await filters(userId, pilotIds, db)), limit }) as {
		id: number;
		type: AlertType;
		title: string;
		created_at: string;
		data: string;
		slug: string;
		name: string;
	}[];
	return rows.map((r) => ({
		id: r.id,
		type: r.type,
		title: r.title,
		createdAt: r.created_at,
		data: JSON.parse(r.data) as Record<string, unknown>,
		pilot: { slug: r.slug, name: r.name },
		unread: r.id > seen
	}));
}

/** How many alerts of these pilots the user has not seen. */
export async function unreadCount(
	userId: number,
	pilotIds: readonly number[] | null,
	db: Db = getDb()
): Promise<number> {
	return (
		statement(
			db,
			`SELECT count(*) AS n FROM alerts WHERE id > @seen
			 AND (@ids IS NULL OR pilot_id IN (SELECT value FROM json_each(@ids)))
			 AND type NOT IN (SELECT value FROM json_each(@types))
			 AND pilot_id NOT IN (SELECT value FROM json_each(@pilots))`
		).get({ seen: lastSeen(userId, db), ...(await filters(userId, pilotIds, db)) }) as {
			n: number;
		}
	).n;
}

export interface NotificationSettings {
	mutedTypes: AlertType[];
	mutedPilots: number[];
}

/** Which alerts the user left out of their list (none by default). */
export async function settingsOf(userId: number, db: Db = getDb()): Promise<NotificationSettings> {
	const row = statement(
		db,
		'SELECT muted_types, muted_pilots FROM notification_settings WHERE user_id = ?'
	).get(userId) as { muted_types: string; muted_pilots: string } | undefined;
	if (!row) return { mutedTypes: [], mutedPilots: [] };
	return {
		mutedTypes: JSON.parse(row.muted_types) as AlertType[],
		mutedPilots: JSON.parse(row.muted_pilots) as number[]
	};
}

export async function saveSettings(
	userId: number,
	settings: NotificationSettings,
	db: Db = getDb()
): Promise<void> {
	statement(
		db,
		`INSERT INTO notification_settings (user_id, muted_types, muted_pilots) VALUES (?, ?, ?)
		 ON CONFLICT (user_id) DO UPDATE SET muted_types = excluded.muted_types,
		   muted_pilots = excluded.muted_pilots`
	).run(userId, JSON.stringify(settings.mutedTypes), JSON.stringify(settings.mutedPilots));
}

async function filters(
	userId: number,
	pilotIds: readonly number[] | null,
	db: Db
): Promise<{ ids: string | null; types: string; pilots: string }> {
	const settings = await settingsOf(userId, db);
	return {
		ids: pilotIds === null ? null : JSON.stringify(pilotIds),
		types: JSON.stringify(settings.mutedTypes),
		pilots: JSON.stringify(settings.mutedPilots)
	};
}

function lastSeen(userId: number, db: Db): number {
	const row = statement(
		db,
		'SELECT last_seen_alert_id AS id FROM notification_reads WHERE user_id = ?'
	).get(userId) as { id: number } | undefined;
	return row?.id ?? 0;
}

/** Marks every alert up to now as read for the user. */
export async function markAllRead(userId: number, db: Db = getDb()): Promise<void> {
	const newest = (
		statement(db, 'SELECT coalesce(max(id), 0) AS id FROM alerts').get() as { id: number }
	).id;
	statement(
		db,
		`INSERT INTO notification_reads (user_id, last_seen_alert_id) VALUES (?, ?)
		 ON CONFLICT (user_id) DO UPDATE SET last_seen_alert_id = max(last_seen_alert_id, excluded.last_seen_alert_id)`
	).run(userId, newest);
}
