import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, test } from 'vitest';
import * as apiKeys from './api-keys';
import { openDatabase, type Db } from '../db';
import { first, run } from '../db/statements';
import { memberships, pilots, users, type UserRole } from '../db/schema';
import { insertUser } from '../../../../tests/support/accounts';

let db: Db;
let pilotId: number;
const at = new Date('2026-11-01T00:00:00Z');

const user = (email: string, role: UserRole): Promise<number> =>
	insertUser(db, { email, name: email, role, createdAt: at.toISOString() });

beforeEach(async () => {
	db = openDatabase(':memory:');
	const pilot = await first(
		db
			.insert(pilots)
			.values({
				slug: 'p',
				name: 'P',
				process: '',
				timezone: 'UTC',
				charter: {} as never,
				governance: {} as never,
				stage: 'draft',
				createdAt: at.toISOString(),
				updatedAt: at.toISOString(),
				stageChangedAt: at.toISOString()
			})
			.returning()
	);
	pilotId = pilot.id;
});

const keyOf = async (createdBy: number | null, pilot: number | null) =>
	(
		await apiKeys.create(
			{
				name: 'k',
				scopes: pilot === null ? ['admin'] : ['ingest', 'read'],
				pilotId: pilot,
				createdBy
			},
			{ now: at, db }
		)
	).key;
const works = async (key: string): Promise<boolean> =>
	(await apiKeys.authenticate(key, at, db)) !== null;

describe('API keys live with the account that made them', () => {
	test('a disabled maker suspends every key; enabling the account again restores them', async () => {
		const admin = await user('admin@example.com', 'admin');
		const adminKey = await keyOf(admin, null);
		const pilotKey = await keyOf(admin, pilotId);
		expect([await works(adminKey), await works(pilotKey)]).toEqual([true, true]);
		await run(db.update(users).set({ disabledAt: at.toISOString() }).where(eq(users.id, admin)));
		expect([await works(adminKey), await works(pilotKey)]).toEqual([false, false]);
		await run(db.update(users).set({ disabledAt: null }).where(eq(users.id, admin)));
		expect([await works(adminKey), await works(pilotKey)]).toEqual([true, true]);
	});

	test('an admin key stops when its maker is no longer an admin', async () => {
		const admin = await user('admin@example.com', 'admin');
		const key = await keyOf(admin, null);
		await run(db.update(users).set({ role: 'leadership' }).where(eq(users.id, admin)));
		expect(await works(key)).toBe(false);
	});

	test('a pilot key stops when its maker no longer owns the pilot', async () => {
		const owner = await user('owner@example.com', 'user');
		await run(
			db
				.insert(memberships)
				.values({ pilotId, userId: owner, role: 'owner', createdAt: at.toISOString() })
		);
		const key = await keyOf(owner, pilotId);
		expect(await works(key)).toBe(true);
		await run(db.update(memberships).set({ role: 'member' }).where(eq(memberships.userId, owner)));
		expect(await works(key)).toBe(false);
	});

	test('the operator’s key (no maker) works as long as it is not revoked', async () => {
		expect(await works(await keyOf(null, null))).toBe(true);
	});
});

describe('INIT_API_KEY', () => {
	test.each([
		['short', 'pi_short', /at least 32/],
		['one repeated character', 'a'.repeat(64), /different/],
		['white space', 'pi_a key with spaces in it 0123456789abcdef', /white space/]
	])('refuses a key that is %s', (_name, key, message) => {
		expect(apiKeys.operatorKeyProblem(key)).toMatch(message);
	});

	test('accepts a long, varied key', () => {
		expect(
			apiKeys.operatorKeyProblem('pi_operator-chosen-key-for-automation-0123456789')
		).toBeNull();
	});
});
