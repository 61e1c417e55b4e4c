import type { Db } from '../../src/lib/server/db';
import { users, type UserRole } from '../../src/lib/server/db/schema';
import { first } from '../../src/lib/server/db/statements';

// Accounts written straight into the users table, for tests of what hangs off an account
// (sessions, API keys) that need no sign-up or password check.

/** Inserts an account created at `createdAt` (ISO text) with a placeholder password hash; its id. */
export async function insertUser(
	db: Db,
	account: { email: string; name: string; role: UserRole; createdAt: string }
): Promise<number> {
	const row = await first(
		db
			.insert(users)
			.values({ ...account, passwordHash: 'x' })
			.returning()
	);
	return row.id;
}
