import { beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../db';
import { rows, run } from '../db/statements';
import { sessions as sessionsTable, users } from '../db/schema';
import * as sessions from './sessions';
import { insertUser } from '../../../../tests/support/accounts';

let db: Db;
let userId: number;
beforeEach(async () => {
	db = openDatabase(':memory:');
	userId = await insertUser(db, {
		email: 'a@example.com',
		name: 'A',
		role: 'user',
		createdAt: '2026-01-01T00:00:00Z'
	});
});

const day = 86_400_000;
const t0 = new Date('2026-11-01T00:00:00Z');

describe('sessions', () => {
	test('a token has 256 random bits and only its hash is stored', async () => {
		const { token } = await sessions.create(userId, t0, db);
		expect(Buffer.from(token, 'base64url')).toHaveLength(32);
		const stored = await rows(db.select().from(sessionsTable));
		expect(stored).toHaveLength(1);
		expect(stored[0].id).not.toContain(token);
		expect(stored[0].id).toMatch(/^[0-9a-f]{64}$/);
	});

	test('valid until it expires, renewed when used in its second week', async () => {
		const { token } = await sessions.create(userId, t0, db);
		expect(await sessions.validate(token, new Date(t0.getTime() + day), db)).toMatchObject({
			renewed: false
		});
		const renewed = await sessions.validate(token, new Date(t0.getTime() + 10 * day), db);
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.expiresAt.toISOString()).toBe(new Date(t0.getTime() + 24 * day).toISOString());
		expect(await sessions.validate(token, new Date(t0.getTime() + 25 * day), db)).toBeNull();
		expect(await rows(db.select().from(sessionsTable))).toHaveLength(0);
	});

	test('invalidated at logout; unknown tokens are refused', async () => {
		const { token } = await sessions.create(userId, t0, db);
		await sessions.invalidate(token, db);
		expect(await sessions.validate(token, t0, db)).toBeNull();
		expect(await sessions.validate('made-up', t0, db)).toBeNull();
	});

	test('a disabled account loses its sessions', async () => {
		const { token } = await sessions.create(userId, t0, db);
		await run(db.update(users).set({ disabledAt: t0.toISOString() }));
		expect(await sessions.validate(token, t0, db)).toBeNull();
	});
});
