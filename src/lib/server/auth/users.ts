import { eq, sql } from 'drizzle-orm';
import { record, type AuditEntry } from '../audit/audit';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows, transaction } from '../db/statements';
import { users, type UserRole, type UserRow } from '../db/schema';

// The users service: accounts, their roles, and checking a password.

export interface PublicUser {
	id: number;
	email: string;
	name: string;
	role: UserRole;
	disabled: boolean;
}

export const toPublic = (row: UserRow): PublicUser => ({
	id: row.id,
	email: row.email,
	name: row.name,
	role: row.role,
	disabled: row.disabledAt !== null
});

export async function findByEmail(email: string, db: Db = getDb()): Promise<UserRow | null> {
	return (
		(await first(
			db
				.select()
				.from(users)
				.where(sql`lower(${users.email}) = lower(${email.trim()})`)
		)) ?? null
	);
}

export async function findById(id: number, db: Db = getDb()): Promise<UserRow | null> {
	return (await first(db.select().from(users).where(eq(users.id, id)))) ?? null;
}

/** Every account by name, in code-point order (the same on both engines, whatever the collation). */
export async function list(db: Db = getDb()): Promise<PublicUser[]> {
	const all = await rows(db.select().from(users));
	return all.sort(byName).map(toPublic);
}

/** By name in code-point order (SQLite's binary order), then by id. */
const byName = (a: { name: string; id: number }, b: { name: string; id: number }): number =>
	a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;

export async function count(db: Db = getDb()): Promise<number> {
	const row = await first(db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users));
	return row?.n ?? 0;
}

/** A change of an account, recorded in the transaction that made it (`context.db` is its `tx`). */
async function recordUser(
	context: ServiceContext,
	user: { id: number; email: string },
	action: string,
	change: Pick<AuditEntry, 'before' | 'after' | 'detail'>
): Promise<void> {
	const entry = { action, targetType: 'user', targetId: user.id, targetLabel: user.email };
	await record(context.actor, { ...entry, ...change }, context.now, context.db);
}

export interface NewUser {
	email: string;
	name: string;
	role: UserRole;
	password: string;
}

/** Creates an account; null when the email is taken. The password is hashed first, outside the transaction. */
export async function create(
	input: NewUser,
	context: Partial<ServiceContext> = {}
): Promise<PublicUser | null> {
	const resolved = serviceContext(context);
	const passwordHash = await hashPassword(input.password);
	return transaction(resolved.db, async (tx) => {
		if (await findByEmail(input.email, tx)) return null;
		const row = await first(
			tx
				.insert(users)
				.values({
					email: input.email.trim(),
					name: input.name.trim(),
					role: input.role,
					passwordHash,
					createdAt: resolved.now.toISOString()
				})
				.returning()
		);
		const created = toPublic(row);
		await recordUser({ ...resolved, db: tx }, row, 'user.create', { after: created });
		return created;
	});
}

export async function update(
	id: number,
	change: { role?: UserRole; disabled?: boolean },
	context: Partial<ServiceContext> = {}
): Promise<PublicUser | null> {
	const resolved = serviceContext(context);
	return transaction(resolved.db, async (tx) => {
		const current = await findById(id, tx);
		if (!current) return null;
		const before = toPublic(current);
		// Disabling a disabled account keeps the time it was first disabled.
		const disabledAt = change.disabled ? (current.disabledAt ?? resolved.now.toISOString()) : null;
		const row = await first(
			tx
				.update(users)
				.set({
					...(change.role ? { role: change.role } : {}),
					...(change.disabled === undefined ? {} : { disabledAt })
				})
				.where(eq(users.id, id))
				.returning()
		);
		const after = toPublic(row);
		await recordUser({ ...resolved, db: tx }, row, 'user.update', { before, after });
		return after;
	});
}

/** Replaces a user's password (checked by the caller), recorded without either password. */
export async function changePassword(
	id: number,
	password: string,
	context: Partial<ServiceContext> = {}
): Promise<boolean> {
	const resolved = serviceContext(context);
	const passwordHash = await hashPassword(password);
	return transaction(resolved.db, async (tx) => {
		const row = await first(
			tx
				.update(users)
				.set({ passwordHash })
				.where(eq(users.id, id))
				.returning({ email: users.email })
		);
		if (!row) return false;
		await recordUser({ ...resolved, db: tx }, { id, email: row.email }, 'user.password_change', {
			detail: 'password changed'
		});
		return true;
	});
}

/**
 * The user with this email and password, or null. An unknown email costs as much time as a
 * wrong password, so the answer's timing does not reveal which accounts exist.
 */
export async function checkPassword(
	email: string,
	password: string,
	db: Db = getDb()
): Promise<UserRow | null> {
	const user = await findByEmail(email, db);
	const ok = await verifyPassword(user?.passwordHash ?? dummyHash, password);
	return ok && user && user.disabledAt === null ? user : null;
}
