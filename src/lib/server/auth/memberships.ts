import { and, eq } from 'drizzle-orm';
import { record } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows, run, transaction } from '../db/statements';
import { memberships, users, type MembershipRole } from '../db/schema';

// Who works on which pilot: owners edit it, members read it and add data.

export interface Member {
	userId: number;
	email: string;
	name: string;
	role: MembershipRole;
}

/** The pilot's people: members before owners, each by name in code-point order. */
export async function list(pilotId: number, db: Db = getDb()): Promise<Member[]> {
	const found = await rows(
		db
			.select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(eq(memberships.pilotId, pilotId))
	);
	// Sorted here, not by the database: text order differs between SQLite (binary) and
	// PostgreSQL (the database's collation).
	return found.sort(
		(a, b) => compare(a.role, b.role) || compare(a.name, b.name) || a.userId - b.userId
	);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export async function roleOf(
	pilotId: number,
	userId: number,
	db: Db = getDb()
): Promise<MembershipRole | null> {
	const row = await first(
		db
			.select({ role: memberships.role })
			.from(memberships)
			.where(and(eq(memberships.pilotId, pilotId), eq(memberships.userId, userId)))
	);
	return row?.role ?? null;
}

/** Pilot ids per role for one user, for filtering the portfolio. */
export async function pilotsOf(
	userId: number,
	db: Db = getDb()
): Promise<Map<number, MembershipRole>> {
	const found = await rows(
		db
			.select({ pilotId: memberships.pilotId, role: memberships.role })
			.from(memberships)
			.where(eq(memberships.userId, userId))
	);
	return new Map(found.map((row) => [row.pilotId, row.role]));
}

export async function set(
	pilot: { id: number; slug: string },
	user: { id: number; email: string },
	role: MembershipRole,
	context: Partial<ServiceContext> = {}
): Promise<void> {
	const { db, actor, now } = serviceContext(context);
	await transaction(db, async (tx) => {
		const before = await roleOf(pilot.id, user.id, tx);
		if (before === role) return;
		await run(
			tx
				.insert(memberships)
				.values({ pilotId: pilot.id, userId: user.id, role, createdAt: now.toISOString() })
				.onConflictDoUpdate({ target: [memberships.pilotId, memberships.userId], set: { role } })
		);
		await record(
			actor,
			{
				action: before ? 'membership.update' : 'membership.add',
				targetType: 'membership',
				targetId: `${pilot.slug}:${user.id}`,
				targetLabel: `${user.email} on ${pilot.slug}`,
				pilotId: pilot.id,
				before: before ? { role: before } : null,
				after: { role }
			},
			now,
			tx
		);
	});
}

export async function remove(
	pilot: { id: number; slug: string },
	user: { id: number; email: string },
	context: Partial<ServiceContext> = {}
): Promise<void> {
	const { db, actor, now } = serviceContext(context);
	await transaction(db, async (tx) => {
		const before = await roleOf(pilot.id, user.id, tx);
		if (!before) return;
		await run(
			tx
				.delete(memberships)
				.where(and(eq(memberships.pilotId, pilot.id), eq(memberships.userId, user.id)))
		);
		await record(
			actor,
			{
				action: 'membership.remove',
				targetType: 'membership',
				targetId: `${pilot.slug}:${user.id}`,
				targetLabel: `${user.email} on ${pilot.slug}`,
				pilotId: pilot.id,
				before: { role: before },
				after: null
			},
			now,
			tx
		);
	});
}
