import { and, desc, eq, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, type Db } from '../db';
import { auditLog, type AuditRow } from '../db/schema';

// The audit log: append-only (the database refuses updates and deletes), written in the
// same transaction as the change it records. It never holds a password, token or key.

export interface Actor {
	type: 'user' | 'api_key' | 'anonymous' | 'system';
	id: number | null;
	label: string;
}

export const systemActor: Actor = { type: 'system', id: null, label: 'system' };
export const anonymousActor: Actor = { type: 'anonymous', id: null, label: 'anonymous' };

/** The actor behind a "who" label as services that keep only the label receive it. */
export function actorFromLabel(label: string | null): Actor {
	if (!label) return systemActor;
	return { type: label.startsWith('pi_') ? 'api_key' : 'user', id: null, label };
}

export interface AuditEntry {
	action: string;
	targetType: string;
	targetId?: string | number | null;
	targetLabel?: string | null;
	pilotId?: number | null;
	before?: unknown;
	after?: unknown;
	detail?: string | null;
	address?: string | null;
}

/** Longest stored text per field; longer values are cut and marked (see `bounded`). */
const fieldLimits = {
	label: 320,
	action: 100,
	targetId: 200,
	detail: 2000,
	address: 100,
	/** A JSON `before` or `after`, serialized. */
	json: 64 * 1024
} as const;
/** Longest string kept inside a JSON `before`/`after`. */
const jsonStringLimit = 4000;

/**
 * The value cut to at most `max` characters, marked so a reader knows it was cut: an audited
 * field may hold a caller's input (an email typed at sign-in, a path), and the log is
 * append-only, so nothing may grow it without bound.
 */
export function bounded(value: string, max: number): string;
export function bounded(value: string | null, max: number): string | null;
export function bounded(value: string | null, max: number): string | null {
	if (value === null || value.length <= max) return value;
	const marker = `…[${value.length - max} more characters cut]`;
	return value.slice(0, Math.max(0, max - marker.length)) + marker;
}

function boundedStrings(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return bounded(value, jsonStringLimit);
	if (value === null || typeof value !== 'object' || depth > 20) return value;
	if (Array.isArray(value)) return value.map((item) => boundedStrings(item, depth + 1));
	// Anything else than a plain object (a Date…) is left to its own toJSON.
	const prototype: unknown = Object.getPrototypeOf(value);
	if (prototype !== Object.prototype && prototype !== null) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [bounded(key, 200), boundedStrings(item, depth + 1)])
	);
}

/** A `before`/`after` value whose JSON fits its limit, else a marked summary of it. */
function boundedJson(value: unknown): unknown {
	if (value === undefined || value === null) return null;
	const kept = boundedStrings(value);
	const text = JSON.stringify(kept) ?? 'null';
	if (text.length <= fieldLimits.json) return kept;
	return {
		truncated: true,
		characters: text.length,
		preview: bounded(text, jsonStringLimit)
	};
}

export async function record(
	actor: Actor,
	entry: AuditEntry,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<void> {
	recordSync(actor, entry, now, db);
}

/** record inside a transaction: the entry is written with the change it describes. */
export function recordSync(actor: Actor, entry: AuditEntry, now: Date, db: Db): void {
	db.insert(auditLog)
		.values({
			at: now.toISOString(),
			actorType: actor.type,
			actorId: actor.id,
			actorLabel: bounded(actor.label, fieldLimits.label),
			action: bounded(entry.action, fieldLimits.action),
			targetType: bounded(entry.targetType, fieldLimits.action),
			targetId:
				entry.targetId === undefined || entry.targetId === null
					? null
					: bounded(String(entry.targetId), fieldLimits.targetId),
			targetLabel: bounded(entry.targetLabel ?? null, fieldLimits.label),
			pilotId: entry.pilotId ?? null,
			before: boundedJson(entry.before),
			after: boundedJson(entry.after),
			detail: bounded(entry.detail ?? null, fieldLimits.detail),
			address: bounded(entry.address ?? null, fieldLimits.address)
		})
		.run();
}

/** A change of a pilot, recorded in the transaction that made it. */
export async function recordPilot(
	context: { db: Db; actor: Actor; now: Date },
	pilot: { id: number; slug: string; name: string },
	action: string,
	change: Pick<AuditEntry, 'before' | 'after' | 'detail'>
): Promise<void> {
	const entry = { action, targetType: 'pilot', targetId: pilot.slug, targetLabel: pilot.name };
	await record(context.actor, { ...entry, pilotId: pilot.id, ...change }, context.now, context.db);
}

// Refusals (401, 403, 429, throttled sign-ins) can be sent by anyone as fast as they like.
// The first one per caller, address and action in a window is recorded in full; the ones
// after it in the same window are only counted, and one `denials.repeated` row per window
// says how many there were, of which kinds. The counts live in memory: they are written when
// the window is over (at the next refusal or sweep) and at shutdown; a crash loses only
// them. Beyond `maxTracked` windows at once, new callers share one window, so even refusals
// from ever new addresses add a bounded number of rows.

export const denialWindowMs = 10 * 60 * 1000;
const maxTracked = 1000;
const sweepEveryMs = 60 * 1000;

interface DenialWindow {
	actor: Actor;
	action: string;
	address: string | null;
	startedAt: number;
	lastAt: number;
	counts: Map<string, number>;
}

const denialWindows = new Map<string, DenialWindow>();
let lastSweep = 0;

function writeRepeated(window: DenialWindow, db: Db): void {
	const counts = [...window.counts.entries()];
	const total = counts.reduce((sum, [, n]) => sum + n, 0);
	if (total === 0) return;
	recordSync(
		window.actor,
		{
			action: 'denials.repeated',
			targetType: 'address',
			targetLabel: window.address,
			detail: `${total} more ${window.action} between ${new Date(window.startedAt).toISOString()} and ${new Date(window.lastAt).toISOString()}: ${counts.map(([kind, n]) => `${kind} ×${n}`).join(', ')}`,
			after: { total, ...Object.fromEntries(counts) },
			address: window.address
		},
		new Date(window.lastAt),
		db
	);
}

function sweepDenials(now: number, db: Db, all = false): void {
	for (const [key, window] of denialWindows) {
		if (all || now - window.startedAt >= denialWindowMs) {
			denialWindows.delete(key);
			writeRepeated(window, db);
		}
	}
	lastSweep = now;
}

/**
 * Records a refusal: in full when it is the first of its caller, address and action in the
 * current window, else only counted (see above). `kind` names it in the count, e.g. "401".
 */
export async function recordDenial(
	actor: Actor,
	entry: AuditEntry & { kind: string },
	now: Date = new Date(),
	db: Db = getDb()
): Promise<void> {
	// One synchronous run: the windows in memory and the rows they write never see another
	// refusal half-way.
	const at = now.getTime();
	if (at - lastSweep >= sweepEveryMs) sweepDenials(at, db);
	const address = bounded(entry.address ?? null, fieldLimits.address);
	const action = bounded(entry.action, fieldLimits.action);
	let key = [actor.type, bounded(actor.label, fieldLimits.label), address ?? '', action].join(
		'\u0000'
	);
	let window = denialWindows.get(key);
	if (window && at - window.startedAt >= denialWindowMs) {
		denialWindows.delete(key);
		writeRepeated(window, db);
		window = undefined;
	}
	if (!window && denialWindows.size >= maxTracked) {
		key = 'others';
		window = denialWindows.get(key);
	}
	if (window) {
		window.counts.set(entry.kind, (window.counts.get(entry.kind) ?? 0) + 1);
		window.lastAt = at;
		return;
	}
	const { kind: _kind, ...full } = entry;
	void _kind;
	recordSync(actor, full, now, db);
	denialWindows.set(key, {
		actor: key === 'others' ? anonymousActor : actor,
		action: key === 'others' ? 'refusals' : action,
		address: key === 'others' ? null : address,
		startedAt: at,
		lastAt: at,
		counts: new Map()
	});
}

/** Writes the counts of every open window (at shutdown, before the database closes). */
export async function flushDenials(now: Date = new Date(), db: Db = getDb()): Promise<void> {
	sweepDenials(now.getTime(), db, true);
}

export interface AuditFilter {
	pilotId?: number | null;
	action?: string | null;
	actor?: string | null;
	/** Entries older than this id (keyset paging, newest first). */
	before?: number | null;
	limit?: number;
}

export async function list(filter: AuditFilter = {}, db: Db = getDb()): Promise<AuditRow[]> {
	const conditions: SQL[] = [];
	if (filter.pilotId) conditions.push(eq(auditLog.pilotId, filter.pilotId));
	if (filter.action) conditions.push(like(auditLog.action, `${filter.action}%`));
	if (filter.actor) {
		const pattern = `%${filter.actor.replace(/[%_]/g, '')}%`;
		conditions.push(or(like(auditLog.actorLabel, pattern), like(auditLog.targetLabel, pattern))!);
	}
	if (filter.before) conditions.push(lt(auditLog.id, filter.before));
	return db
		.select()
		.from(auditLog)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(auditLog.id))
		.limit(filter.limit ?? 100)
		.all();
}

export async function actions(db: Db = getDb()): Promise<string[]> {
	return db
		.selectDistinct({ action: auditLog.action })
		.from(auditLog)
		.orderBy(sql`1`)
		.all()
		.map((row) => row.action);
}
