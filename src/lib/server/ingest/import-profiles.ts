import { and, asc, eq } from 'drizzle-orm';
import { importMappingSchema, type ImportMapping } from '$lib/schemas/import-mapping';
import { record, type AuditEntry } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { importProfiles, type ImportProfileRow } from '../db/schema';
import { first, rows, transaction } from '../db/statements';

// Import profiles: a pilot's saved column mappings, one per tool export, chosen by name.

export interface ImportProfile {
	id: number;
	name: string;
	mapping: ImportMapping;
	updatedAt: string;
}

/** Profiles saved before a field of the mapping existed read with that field's default. */
function withDefaults(mapping: ImportMapping): ImportMapping {
	const parsed = importMappingSchema.safeParse(mapping);
	return parsed.success ? parsed.data : mapping;
}

const profileOf = (row: ImportProfileRow): ImportProfile => ({
	id: row.id,
	name: row.name,
	mapping: row.mapping,
	updatedAt: row.updatedAt
});

export async function list(pilotId: number, db: Db = getDb()): Promise<ImportProfile[]> {
	const found = await rows(
		db
			.select()
			.from(importProfiles)
			.where(eq(importProfiles.pilotId, pilotId))
			.orderBy(asc(importProfiles.name))
	);
	return found.map((row) => profileOf({ ...row, mapping: withDefaults(row.mapping) }));
}

/** A change of a profile, recorded in the transaction that made it (`context.db` is its `tx`). */
async function recordProfile(
	context: ServiceContext,
	profile: { id: number; name: string; pilotId: number },
	action: string,
	change: Pick<AuditEntry, 'before' | 'after'>
): Promise<void> {
	const entry = { action, targetType: 'import_profile', targetId: profile.id };
	const about = { targetLabel: profile.name, pilotId: profile.pilotId };
	await record(context.actor, { ...entry, ...about, ...change }, context.now, context.db);
}

/** Saves a mapping under its name; a profile of the same name is replaced. */
export async function save(
	pilotId: number,
	input: { name: string; mapping: ImportMapping },
	context: Partial<ServiceContext> = {}
): Promise<ImportProfile> {
	const resolved = serviceContext(context);
	const at = resolved.now.toISOString();
	return transaction(resolved.db, async (tx) => {
		const before = await first(
			tx
				.select()
				.from(importProfiles)
				.where(and(eq(importProfiles.pilotId, pilotId), eq(importProfiles.name, input.name)))
		);
		const row = await first(
			tx
				.insert(importProfiles)
				.values({
					pilotId,
					name: input.name,
					mapping: input.mapping,
					createdBy: resolved.actor.label,
					updatedAt: at
				})
				.onConflictDoUpdate({
					target: [importProfiles.pilotId, importProfiles.name],
					set: { mapping: input.mapping, updatedAt: at }
				})
				.returning()
		);
		const action = before ? 'import_profile.updated' : 'import_profile.created';
		await recordProfile({ ...resolved, db: tx }, row, action, {
			before: before?.mapping ?? null,
			after: row.mapping
		});
		return profileOf(row);
	});
}

/** Deletes a profile of this pilot; false when there is none with that id. */
export async function remove(
	pilotId: number,
	id: number,
	context: Partial<ServiceContext> = {}
): Promise<boolean> {
	const resolved = serviceContext(context);
	return transaction(resolved.db, async (tx) => {
		const row = await first(
			tx
				.delete(importProfiles)
				.where(and(eq(importProfiles.pilotId, pilotId), eq(importProfiles.id, id)))
				.returning()
		);
		if (!row) return false;
		const deleted = { before: row.mapping };
		await recordProfile({ ...resolved, db: tx }, row, 'import_profile.deleted', deleted);
		return true;
	});
}
