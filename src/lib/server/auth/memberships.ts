import { and, asc, eq, sql } from 'drizzle-orm';
import { recordSync } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, preparedQuery, type Db } from '../db';
import { memberships, users, type MembershipRole } from '../db/schema';

// Who works on which pilot: owners edit it, members read it and add data.

export interface Member {
	userId: number;
	email: string;
	name: string;
	role: MembershipRole;
}

export async function list(pilotId: number, db: Db = getDb()): Promise<Member[]> {
	// The portfolio page asks for every pilot without a named owner: prepared once.
	return preparedQuery(db, 'memberships.list', (d) =>
		d
			.select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(eq(memberships.pilotId, sql.placeholder('pilotId')))
			.orderBy(asc(memberships.role), asc(users.name))
			.prepare()
	).all({ pilotId });
}

export async function roleOf(
	pilotId: number,
	userId: number,
	db: Db = getDb()
): Promise<MembershipRole | null> {
	return roleOfSync(pilotId, userId, db);
}

/** roleOf inside a transaction (synchronous, like every statement of one). */
function roleOfSync(pilotId: number, userId: number, db: Db): MembershipRole | null {
	const row = db
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.pilotId, pilotId), eq(memberships.userId, userId)))
		.get();
	return row?.role ?? null;
}

/** Pilot ids per role for one user, for filtering the portfolio. */
export async function pilotsOf(
	userId: number,
	db: Db = getDb()
): Promise<Map<number, MembershipRole>> {
	const rows = db
		.select({ pilotId: memberships.pilotId, role: memberships.role })
		.from(memberships)
		.where(eq(memberships.userId, userId))
		.all();
	return new Map(rows.map((row) => [row.pilotId, row.role]));
}

export async function set(
	pilot: { id: number; slug: string },
	user: { id: number; email: string },
	role: MembershipRole,
	context: Partial<ServiceContext> = {}
): Promise<void> {
	const { db, actor, now } = serviceContext(context);
	db.transaction(() => {
		const before = roleOfSync(pilot.id, user.id, db);
		if (before === role) return;
		db.insert(memberships)
			.values({ pilotId: pilot.id, userId: user.id, role, createdAt: now.toISOString() })
			.onConflictDoUpdate({ target: [memberships.pilotId, memberships.userId], set: { role } })
			.run();
		recordSync(
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
			db
		);
	});
}

export async function remove(
	pilot: { id: number; slug: string },
	user: { id: number; email: string },
	context: Partial<ServiceContext> = {}
): Promise<void> {
	const { db, actor, now } = serviceContext(context);
	db.transaction(() => {
		const before = roleOfSync(pilot.id, user.id, db);
		if (!before) return;
		db.delete(memberships)
			.where(and(eq(memberships.pilotId, pilot.id), eq(memberships.userId, user.id)))
			.run();
		recordSync(
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
			db
		);
	});
}
