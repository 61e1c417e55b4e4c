import { describe, expect, test } from 'vitest';
import type { UserRow } from '../db/schema';
import { attemptSignIn } from './sign-in';

// The audit rows these attempts write go to a database of their own.
process.env.DATABASE_PATH = ':memory:';

const user = { id: 1, email: 'ana@example.com' } as UserRow;
/** A password check that takes a while (like scrypt) and knows one password. */
const slowCheck = async (_email: string, password: string): Promise<UserRow | null> => {
	await new Promise((done) => setTimeout(done, 5));
	return password === 'right password' ? user : null;
};

describe('signing in', () => {
	test('30 parallel guesses from one address: at most 5 passwords are checked, the rest 429', async () => {
		let checked = 0;
		const counting = (email: string, password: string): Promise<UserRow | null> => {
			checked += 1;
			return slowCheck(email, password);
		};
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				attemptSignIn('ana@example.com', `guess ${i}`, '198.51.100.1', 0, counting)
			)
		);
		expect(checked).toBeLessThanOrEqual(5);
		expect(results.filter((r) => !r.ok && r.status === 400)).toHaveLength(checked);
		expect(results.filter((r) => !r.ok && r.status === 429)).toHaveLength(30 - checked);
	});

	test('repeated failures wait longer each time, and the wait always ends', async () => {
		const from = '198.51.100.2';
		const email = 'bea@example.com';
		for (let i = 0; i < 5; i++)
			expect(await attemptSignIn(email, `guess ${i}`, from, 0, slowCheck)).toMatchObject({
				status: 400
			});
		const waits: number[] = [];
		let now = 0;
		for (let i = 0; i < 4; i++) {
			const refused = await attemptSignIn(email, 'right password', from, now, slowCheck);
			expect(refused).toMatchObject({ ok: false, status: 429 });
			const wait = refused.ok ? 0 : refused.status === 429 ? refused.retryAfter : 0;
			waits.push(wait);
			now += wait * 1000;
			expect(await attemptSignIn(email, 'another guess', from, now, slowCheck)).toMatchObject({
				status: 400
			});
		}
		expect(waits).toEqual([30, 60, 120, 240]);
		now += 480 * 1000;
		expect(await attemptSignIn(email, 'right password', from, now, slowCheck)).toMatchObject({
			ok: true
		});
	});

	test("another address, or an untouched account, is never refused for others' failures", async () => {
		const attacker = '198.51.100.3';
		for (let i = 0; i < 8; i++)
			await attemptSignIn('cai@example.com', `g${i}`, attacker, 0, slowCheck);
		expect(
			await attemptSignIn('cai@example.com', 'right password', attacker, 1, slowCheck)
		).toMatchObject({ status: 429 });
		expect(
			await attemptSignIn('cai@example.com', 'right password', '203.0.113.1', 1, slowCheck)
		).toMatchObject({ ok: true });
		expect(
			await attemptSignIn('dan@example.com', 'right password', attacker, 1, slowCheck)
		).toMatchObject({ ok: true });
	});
});
