import { eq, lt } from 'drizzle-orm';
import { randomToken, sha256 } from './tokens';
import { getDb, type Db } from '../db';
import { first, run } from '../db/statements';
import { sessions, users } from '../db/schema';
import { toPublic, type PublicUser } from './users';

// Sessions: a random 256-bit token in an HttpOnly cookie; the database keeps only its hash.
// A session lasts 14 days and is renewed when used in its second week (Lucia's scheme).

export const sessionCookie = 'pi_session';
export const sessionDays = 14;
const dayMs = 86_400_000;

export async function create(
	userId: number,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomToken();
	const expiresAt = new Date(now.getTime() + sessionDays * dayMs);
	await run(
		db.insert(sessions).values({
			id: sha256(token),
			userId,
			createdAt: now.toISOString(),
			expiresAt: expiresAt.toISOString()
		})
	);
	return { token, expiresAt };
}

export interface ValidSession {
	user: PublicUser;
	expiresAt: Date;
	renewed: boolean;
}

export async function validate(
	token: string,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<ValidSession | null> {
	const id = sha256(token);
	const row = await first(
		db
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(eq(sessions.id, id))
	);
	if (!row) return null;
	const expiresAt = new Date(row.session.expiresAt);
	if (expiresAt <= now || row.user.disabledAt !== null) {
		await run(db.delete(sessions).where(eq(sessions.id, id)));
		return null;
	}
	if (expiresAt.getTime() - now.getTime() < (sessionDays / 2) * dayMs) {
		const renewed = new Date(now.getTime() + sessionDays * dayMs);
		await run(
			db.update(sessions).set({ expiresAt: renewed.toISOString() }).where(eq(sessions.id, id))
		);
		return { user: toPublic(row.user), expiresAt: renewed, renewed: true };
	}
	return { user: toPublic(row.user), expiresAt, renewed: false };
}

export async function invalidate(token: string, db: Db = getDb()): Promise<void> {
	await run(db.delete(sessions).where(eq(sessions.id, sha256(token))));
}

export async function invalidateAllFor(userId: number, db: Db = getDb()): Promise<void> {
	await run(db.delete(sessions).where(eq(sessions.userId, userId)));
}

export async function deleteExpired(now: Date = new Date(), db: Db = getDb()): Promise<void> {
	await run(db.delete(sessions).where(lt(sessions.expiresAt, now.toISOString())));
}
