// A little over 300 lines, on purpose: detecting a pilot's changes and storing them once are
// one transaction's work, kept in one file.

import { and, count, desc, eq, gt, inArray, notInArray } from 'drizzle-orm';
import { silentDaysRule, type AlertType } from '$lib/domain/alerts';
import { getDb, type Db } from '../db';
import { alerts, pilots, type AlertRow, type ObservedState } from '../db/schema';
import { first, rows, sqlFirst, sqlRows, sqlRun, transaction } from '../db/statements';
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

function stateRow(db: Db, pilotId: number): Promise<StateRow | undefined> {
	return sqlFirst<StateRow>(
		db,
		'SELECT dirty, observed, version, last_event_at, silent_days FROM alert_state WHERE pilot_id = ?',
		pilotId
	);
}

function sameObservation(a: ObservedState, b: ObservedState): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Inside the alert's transaction: stores the drafts not stored yet and queues their deliveries. */
async function raise(
	tx: Db,
	pilot: { id: number; slug: string; name: string },
	drafts: AlertDraft[],
	origin: string,
	now: Date
): Promise<AlertRow[]> {
	const raised: AlertRow[] = [];
	for (const draft of drafts) {
		const createdAt = now.toISOString();
		const row = await sqlFirst<{ id: number }>(
			tx,
			`INSERT INTO alerts (pilot_id, type, key, title, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (pilot_id, type, key) DO NOTHING RETURNING id`,
			pilot.id,
			draft.type,
			draft.key,
			draft.title,
			JSON.stringify(draft.data),
			createdAt
		);
		if (!row) continue;
		const alert: AlertRow = { id: row.id, pilotId: pilot.id, createdAt, ...draft };
		await enqueueAlert(tx, alert, pilot, origin, now);
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
	const seen = (await stateRow(db, pilotId))?.dirty ?? 0;
	const state = await plans.readStateById(pilotId, db);
	if (!state) {
		await sqlRun(db, 'DELETE FROM alert_state WHERE pilot_id = ?', pilotId);
		return [];
	}
	const report = state.definition ? await impactReport(state, now, db, 'headline') : null;
	const observed = observe(report);
	// What was observed before is read in the transaction that stores the new observation: two
	// instances evaluating the pilot at once raise each change once.
	return transaction(db, async (tx) => {
		const row = await stateRow(tx, pilotId);
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
		const raised = await raise(tx, state.pilot, drafts, origin, now);
		// A change marked while the report was computed keeps the pilot dirty for the next round.
		await sqlRun(
			tx,
			`INSERT INTO alert_state (pilot_id, dirty, observed, version, evaluated_at) VALUES (?, 0, ?, ?, ?)
			 ON CONFLICT (pilot_id) DO UPDATE SET observed = excluded.observed, version = excluded.version,
			   evaluated_at = excluded.evaluated_at,
			   dirty = CASE WHEN alert_state.dirty = ? THEN 0 ELSE alert_state.dirty END`,
			pilotId,
			JSON.stringify(observed),
			version,
			now.toISOString(),
			seen
		);
		return raised;
	});
}

/** Evaluates the pilots marked dirty, at most `limit` of them. */
export async function evaluateDirty(
	origin: string,
	now: Date = new Date(),
	db: Db = getDb(),
	limit = 20
): Promise<AlertRow[]> {
	const dirty = await sqlRows<{ pilot_id: number }>(
		db,
		'SELECT pilot_id FROM alert_state WHERE dirty > 0 LIMIT ?',
		limit
	);
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
	const running = await sqlRows<{
		id: number;
		slug: string;
		name: string;
		stage: string;
		pilot_start: string | null;
		pilot_end: string | null;
		last_event_at: string | null;
		silent_days: number | null;
	}>(
		db,
		`SELECT p.id, p.slug, p.name, p.stage, p.pilot_start, p.pilot_end, s.last_event_at, s.silent_days
		 FROM pilots p LEFT JOIN alert_state s ON s.pilot_id = p.id WHERE p.stage = 'running'
		 ORDER BY p.id`
	);
	return transaction(db, async (tx) => {
		const raised: AlertRow[] = [];
		for (const p of running) {
			const drafts = clockAlerts(
				{
					stage: p.stage,
					pilotStart: p.pilot_start,
					pilotEnd: p.pilot_end,
					lastEventAt: p.last_event_at,
					silentDays: p.silent_days ?? silentDaysRule.default
				},
				now
			);
			raised.push(...(await raise(tx, p, drafts, origin, now)));
		}
		return raised;
	});
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
	if (pilotIds !== null && pilotIds.length === 0) return [];
	const seen = await lastSeen(userId, db);
	const found = await rows(
		db
			.select({
				id: alerts.id,
				type: alerts.type,
				title: alerts.title,
				createdAt: alerts.createdAt,
				data: alerts.data,
				slug: pilots.slug,
				name: pilots.name
			})
			.from(alerts)
			.innerJoin(pilots, eq(pilots.id, alerts.pilotId))
			.where(await filters(userId, pilotIds, db))
			.orderBy(desc(alerts.id))
			.limit(limit)
	);
	return found.map((r) => ({
		id: r.id,
		type: r.type,
		title: r.title,
		createdAt: r.createdAt,
		data: r.data,
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
	if (pilotIds !== null && pilotIds.length === 0) return 0;
	const seen = await lastSeen(userId, db);
	const row = await first(
		db
			.select({ n: count() })
			.from(alerts)
			.where(and(gt(alerts.id, seen), await filters(userId, pilotIds, db)))
	);
	return row?.n ?? 0;
}

export interface NotificationSettings {
	mutedTypes: AlertType[];
	mutedPilots: number[];
}

/** Which alerts the user left out of their list (none by default). */
export async function settingsOf(userId: number, db: Db = getDb()): Promise<NotificationSettings> {
	const row = await sqlFirst<{ muted_types: string; muted_pilots: string }>(
		db,
		'SELECT muted_types, muted_pilots FROM notification_settings WHERE user_id = ?',
		userId
	);
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
	await sqlRun(
		db,
		`INSERT INTO notification_settings (user_id, muted_types, muted_pilots) VALUES (?, ?, ?)
		 ON CONFLICT (user_id) DO UPDATE SET muted_types = excluded.muted_types,
		   muted_pilots = excluded.muted_pilots`,
		userId,
		JSON.stringify(settings.mutedTypes),
		JSON.stringify(settings.mutedPilots)
	);
}

/** The alerts of these pilots (`null`: all; never empty) that the user has not left out. */
async function filters(userId: number, pilotIds: readonly number[] | null, db: Db) {
	const settings = await settingsOf(userId, db);
	return and(
		pilotIds === null ? undefined : inArray(alerts.pilotId, [...pilotIds]),
		settings.mutedTypes.length > 0 ? notInArray(alerts.type, settings.mutedTypes) : undefined,
		settings.mutedPilots.length > 0 ? notInArray(alerts.pilotId, settings.mutedPilots) : undefined
	);
}

async function lastSeen(userId: number, db: Db): Promise<number> {
	const row = await sqlFirst<{ id: number }>(
		db,
		'SELECT last_seen_alert_id AS id FROM notification_reads WHERE user_id = ?',
		userId
	);
	return row?.id ?? 0;
}

/** Marks every alert up to now as read for the user. */
export async function markAllRead(userId: number, db: Db = getDb()): Promise<void> {
	const newest =
		(await sqlFirst<{ id: number }>(db, 'SELECT coalesce(max(id), 0) AS id FROM alerts'))?.id ?? 0;
	await sqlRun(
		db,
		`INSERT INTO notification_reads (user_id, last_seen_alert_id) VALUES (?, ?)
		 ON CONFLICT (user_id) DO UPDATE SET last_seen_alert_id = CASE
		   WHEN notification_reads.last_seen_alert_id > excluded.last_seen_alert_id
		   THEN notification_reads.last_seen_alert_id ELSE excluded.last_seen_alert_id END`,
		userId,
		newest
	);
}
