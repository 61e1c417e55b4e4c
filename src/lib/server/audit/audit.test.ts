import { describe, expect, test } from 'vitest';
import {
	anonymousActor,
	bounded,
	denialWindowMs,
	flushDenials,
	list,
	record,
	recordDenial
} from './audit';
import { openDatabase } from '../db';

const at = (ms: number): Date => new Date(Date.UTC(2026, 10, 29) + ms);

describe('audited fields are bounded', () => {
	test('a long value is cut and says how much was cut', () => {
		expect(bounded('short', 10)).toBe('short');
		expect(bounded(null, 10)).toBeNull();
		const cut = bounded('x'.repeat(10_000), 100);
		expect(cut).toHaveLength(100);
		expect(cut).toMatch(/…\[9\d\d\d more characters cut\]$/);
	});

	test('a 9 MiB email, path and detail take a few KiB in the log', async () => {
		const db = openDatabase(':memory:');
		const huge = 'a'.repeat(9 * 1024 * 1024);
		await record(
			{ type: 'anonymous', id: null, label: huge },
			{
				action: huge,
				targetType: huge,
				targetId: huge,
				targetLabel: `${huge}@example.com`,
				detail: huge,
				address: huge,
				before: { email: huge, nested: [{ deeper: huge }] },
				after: { many: Array.from({ length: 100 }, () => huge.slice(0, 3000)) }
			},
			at(0),
			db
		);
		const [row] = await list({}, db);
		expect(JSON.stringify(row).length).toBeLessThan(16 * 1024);
		expect(row.targetLabel).toMatch(/more characters cut\]$/);
		expect(row.before).toMatchObject({ email: expect.stringMatching(/cut\]$/) });
		expect(row.after).toMatchObject({ truncated: true });
	});

	test('ordinary values are kept as they are', async () => {
		const db = openDatabase(':memory:');
		const after = { name: 'Email triage', windows: [{ start: '2026-09-01' }], n: 3, on: true };
		await record(anonymousActor, { action: 'pilot.update', targetType: 'pilot', after }, at(0), db);
		expect((await list({}, db))[0].after).toEqual(after);
	});
});

describe('repeated denials', () => {
	const denial = (address: string, kind = '401') => ({
		kind,
		action: 'access.denied',
		targetType: 'route',
		targetLabel: `GET /api/v1/${'x'.repeat(8000)}`,
		detail: `${kind}: not signed in`,
		address
	});

	test('one row per caller and address per window, and one row counting the rest', async () => {
		const db = openDatabase(':memory:');
		for (let i = 0; i < 500; i++)
			await recordDenial(anonymousActor, denial('203.0.113.7'), at(i), db);
		await recordDenial(anonymousActor, denial('203.0.113.7', '429'), at(600), db);
		await recordDenial(anonymousActor, denial('198.51.100.1'), at(700), db);
		expect((await list({}, db)).map((r) => r.action)).toEqual(['access.denied', 'access.denied']);

		// The next refusal after the window writes the window's count, then starts a new one.
		await recordDenial(anonymousActor, denial('203.0.113.7'), at(denialWindowMs + 1), db);
		const rows = await list({}, db);
		expect(rows.map((r) => r.action)).toEqual([
			'access.denied',
			'denials.repeated',
			'access.denied',
			'access.denied'
		]);
		const repeated = rows.find(
			(r) => r.address === '203.0.113.7' && r.action === 'denials.repeated'
		)!;
		expect(repeated.after).toEqual({ total: 500, '401': 499, '429': 1 });
		expect(repeated.detail).toMatch(/^500 more access.denied between/);
		// The other address had no repeats: its window closed without a row.
		expect(rows.filter((r) => r.address === '198.51.100.1')).toHaveLength(1);
		await flushDenials(at(denialWindowMs + 2), db);
		expect(await list({}, db)).toHaveLength(4);
	});

	test('refusals from ever new addresses share one window beyond a thousand', async () => {
		const db = openDatabase(':memory:');
		for (let i = 0; i < 5000; i++)
			await recordDenial(anonymousActor, denial(`10.0.${i >> 8}.${i & 255}`), at(i), db);
		await flushDenials(at(6000), db);
		const rows = await list({ limit: 10_000 }, db);
		expect(rows.length).toBeLessThanOrEqual(1002);
		const others = rows.find((r) => r.action === 'denials.repeated')!;
		expect(others.after).toMatchObject({ total: 5000 - 1001 });
	});
});
