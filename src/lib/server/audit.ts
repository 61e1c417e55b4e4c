import { and, desc, eq, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, type Db } from './db';
import { auditLog, type AuditRow } from './db/schema';

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

export function record(
	actor: Actor,
	entry: AuditEntry,
	now: Date = new Date(),
	db: Db = getDb()
): void {
	db.insert(auditLog)
		.values({
			at: now.toISOString(),
			actorType: actor.type,
			actorId: actor.id,
			actorLabel: actor.label,
			action: entry.action,
			targetType: entry.targetType,
			targetId:
				entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
			targetLabel: entry.targetLabel ?? null,
			pilotId: entry.pilotId ?? null,
			before: entry.before ?? null,
			after: entry.after ?? null,
			detail: entry.detail ?? null,
			address: entry.address ?? null
		})
		.run();
}

export interface AuditFilter {
	pilotId?: number | null;
	action?: string | null;
	actor?: string | null;
	/** Entries older than this id (keyset paging, newest first). */
	before?: number | null;
	limit?: number;
}

export function list(filter: AuditFilter = {}, db: Db = getDb()): AuditRow[] {
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

export function actions(db: Db = getDb()): string[] {
	return db
		.selectDistinct({ action: auditLog.action })
		.from(auditLog)
		.orderBy(sql`1`)
		.all()
		.map((row) => row.action);
}
