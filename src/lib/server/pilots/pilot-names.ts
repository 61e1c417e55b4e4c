import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { first } from '../db/statements';
import { pilots } from '../db/schema';

// The rules for a pilot's name and slug, shared by the pilot form and the API's pilot creation.

/** Slugs that are pages of their own under /pilots/. */
export const reservedSlugs: ReadonlySet<string> = new Set(['new']);

/** Names are unique regardless of case, so two pilots are never confused in a list. */
export async function nameTaken(db: Db, name: string, exceptId: number | null): Promise<boolean> {
	const row = await first(
		db
			.select({ id: pilots.id })
			.from(pilots)
			.where(sql`lower(${pilots.name}) = lower(cast(${name} as text))`)
	);
	return row !== undefined && row.id !== exceptId;
}
