import { asc, eq, sql } from 'drizzle-orm';
import { recordSync } from '../audit/audit';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
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
	return findByEmailSync(email, db);
}

/** findByEmail inside a transaction (synchronous, like every statement of one). */
function findByEmailSync(email: string, db: Db): UserRow | null {
	return (
		db
			.select()
			.from(users)
			.where(sql`lower(${users.email}) = lower(${email.trim()})`)
			.get() ?? null
	);
}

export async function findById(id: number, db: Db = getDb()): Promise<UserRow | null> {
	return findByIdSync(id, db);
}

/** findById inside a transaction (synchronous, like every statement of one). */
function findByIdSync(id: number, db: Db): UserRow | null {
	return db.select().from(users).where(eq(users.id, id)).get() ?? null;
}

export async function list(db: Db = getDb()): Promise<PublicUser[]> {
	return db.select().from(users).orderBy(asc(users.name)).all().map(toPublic);
}

export async function count(db: Db = getDb()): Promise<number> {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(users)
			.get()?.n ?? 0
	);
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
	const { db, actor, now } = serviceContext(context);
	const passwordHash = await hashPassword(input.password);
	return db.transaction(() => {
		if (findByEmailSync(input.email, db)) return null;
		const row = db
			.insert(users)
			.values({
				email: input.email.trim(),
				name: input.name.trim(),
				role: input.role,
				passwordHash,
				createdAt: now.toISOString()
			})
			.returning()
			.get();
		const created = toPublic(row);
		recordSync(
			actor,
			{
				action: 'user.create',
				targetType: 'user',
				targetId: row.id,
				targetLabel: row.email,
				after: created
			},
			now,
			db
		);
		return created;
	});
}

export async function update(
	id: number,
	change: { role?: UserRole; disabled?: boolean },
	context: Partial<ServiceContext> = {}
): Promise<PublicUser | null> {
	const { db, actor, now } = serviceContext(context);
	return db.transaction(() => {
		const current = findByIdSync(id, db);
		if (!current) return null;
		const before = toPublic(current);
		const row = db
			.update(users)
			.set({
				...(change.role ? { role: change.role } : {}),
				...(change.disabled === undefined
					? {}
					: { disabledAt: change.disabled ? (current.disabledAt ?? now.toISOString()) : null })
			})
			.where(eq(users.id, id))
			.returning()
			.get();
		const after = toPublic(row);
		recordSync(
			actor,
			{
				action: 'user.update',
				targetType: 'user',
				targetId: id,
				targetLabel: row.email,
				before,
				after
			},
			now,
			db
		);
		return after;
	});
}

/** Replaces a user's password (checked by the caller), recorded without either password. */
export async function changePassword(
	id: number,
	password: string,
	context: Partial<ServiceContext> = {}
): Promise<boolean> {
	const { db, actor, now } = serviceContext(context);
	const passwordHash = await hashPassword(password);
	return db.transaction(() => {
		const row = db
			.update(users)
			.set({ passwordHash })
			.where(eq(users.id, id))
			.returning({ email: users.email })
			.get();
		if (!row) return false;
		recordSync(
			actor,
			{
				action: 'user.password_change',
				targetType: 'user',
				targetId: id,
				targetLabel: row.email,
				detail: 'password changed'
			},
			now,
			db
		);
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
