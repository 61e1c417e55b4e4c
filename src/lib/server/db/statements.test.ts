import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	freshDatabase,
	startPostgres,
	type TestPostgres
} from '../../../../tests/support/postgres';
import { openDatabase, type Db } from './index';
import { closePostgres, migratePostgres, openPostgres } from './postgres';
import { digests } from './schema';
import { engineOf, first, rows, run, sqlFirst, sqlRows, sqlRun, transaction } from './statements';

// The same statements on both engines: SQLite in memory and a real PostgreSQL (one server for
// the file, a fresh database per engine run).

let server: TestPostgres;
const opened: Db[] = [];

beforeAll(async () => {
	server = await startPostgres();
}, 120_000);

afterAll(async () => {
	for (const db of opened) {
		if (engineOf(db) === 'postgres') await closePostgres(db);
		else db.$client.close();
	}
	await server?.stop();
});

const engines = {
	sqlite: async (): Promise<Db> => {
		const db = openDatabase(':memory:');
		opened.push(db);
		return db;
	},
	postgres: async (): Promise<Db> => {
		const database = await freshDatabase(server.url);
		const db = openPostgres(database.url, { poolSize: 4 });
		opened.push(db);
		await migratePostgres(db);
		return db;
	}
};

const digest = (period: string, n = 1) => ({
	period,
	createdAt: '2026-11-29T10:00:00.000Z',
	content: { n }
});

/** Inserts the digest of `period` through `db`, a transaction's or the pool's, with drizzle. */
const insertDigest = (db: Db, period: string) => run(db.insert(digests).values(digest(period)));

/** A transaction on `db` that inserts the digest of `period`, then fails with `message`. */
const failingTransaction = (db: Db, period: string, message: string) =>
	transaction(db, async (tx) => {
		await insertDigest(tx, period);
		throw new Error(message);
	});

const periods = async (db: Db): Promise<string[]> =>
	(await sqlRows<{ period: string }>(db, 'SELECT period FROM digests ORDER BY period')).map(
		(r) => r.period
	);

describe.each(Object.keys(engines) as (keyof typeof engines)[])('on %s', (engine) => {
	let db: Db;
	beforeAll(async () => {
		db = await engines[engine]();
	}, 60_000);

	test('drizzle queries: first, rows and run, with values mapped as on SQLite', async () => {
		expect(engineOf(db)).toBe(engine);
		expect(
			await run(db.insert(digests).values([digest('2026-W01', 1), digest('2026-W02', 2)]))
		).toBe(2);
		expect(await first(db.select().from(digests).where(eq(digests.period, '2026-W02')))).toEqual(
			digest('2026-W02', 2)
		);
		expect(
			await first(db.select().from(digests).where(eq(digests.period, 'none')))
		).toBeUndefined();
		expect((await rows(db.select().from(digests))).length).toBe(2);
		expect(
			await first(db.insert(digests).values(digest('2026-W03')).returning({ p: digests.period }))
		).toEqual({ p: '2026-W03' });
		expect(await run(db.delete(digests))).toBe(3);
	});

	test('plain SQL with ? placeholders; counts and sums come back as numbers', async () => {
		expect(
			await sqlRun(
				db,
				'INSERT INTO digests (period, created_at, content) VALUES (?, ?, ?), (?, ?, ?)',
				...['a', 'now', '{}', 'b', 'now', '{}']
			)
		).toBe(2);
		expect(
			await sqlRun(
				db,
				'INSERT INTO digests (period, created_at, content) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
				'a',
				'x',
				'{}'
			)
		).toBe(0);
		expect(
			await sqlFirst(db, 'SELECT count(*) AS n, sum(length(period)) AS total FROM digests')
		).toEqual({
			n: 2,
			total: 2
		});
		expect(
			await sqlFirst(db, 'SELECT period FROM digests WHERE period = ?', 'none')
		).toBeUndefined();
		expect(await sqlRun(db, 'DELETE FROM digests WHERE period IN (?, ?)', 'a', 'b')).toBe(2);
		await expect(sqlRows(db, 'SELECT ? AS one, ? AS two', 1)).rejects.toThrow();
	});

	test('a transaction commits what its work wrote, and a failure rolls all of it back', async () => {
		await transaction(db, async (tx) => {
			await insertDigest(tx, 't1');
			await insertDigest(tx, 't2');
		});
		await expect(failingTransaction(db, 't3', 'refused half-way')).rejects.toThrow(
			'refused half-way'
		);
		expect(await periods(db)).toEqual(['t1', 't2']);
		await sqlRun(db, 'DELETE FROM digests');
	});

	test('a transaction inside another is a savepoint: its failure leaves the outer work', async () => {
		await transaction(db, async (tx) => {
			await insertDigest(tx, 'outer');
			await expect(failingTransaction(tx, 'inner', 'inner refused')).rejects.toThrow(
				'inner refused'
			);
			await transaction(tx, async (inner) => {
				await insertDigest(inner, 'kept');
			});
		});
		expect(await periods(db)).toEqual(['kept', 'outer']);
		await sqlRun(db, 'DELETE FROM digests');
	});

	test('concurrent write transactions run one after the other: a read and its write agree', async () => {
		// Each reads how many rows there are and writes the next number: serialised, the numbers
		// are 0..n-1; interleaved, two would write the same one (a primary-key conflict).
		const next = (tx: Db) =>
			sqlFirst<{ n: number }>(tx, 'SELECT count(*) AS n FROM digests').then((r) => r?.n ?? 0);
		await Promise.all(
			Array.from({ length: 8 }, () =>
				transaction(db, async (tx) => {
					const n = await next(tx);
					await new Promise((resolve) => setTimeout(resolve, 5));
					await insertDigest(tx, `n${n}`);
				})
			)
		);
		expect((await periods(db)).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `n${i}`).sort());
		await sqlRun(db, 'DELETE FROM digests');
	});

	test('outside a transaction, nothing sees its rows before it commits', async () => {
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		const writing = transaction(db, async (tx) => {
			await insertDigest(tx, 'pending');
			await held;
		});
		await new Promise((resolve) => setTimeout(resolve, 20));
		const reading = periods(db);
		await new Promise((resolve) => setTimeout(resolve, 20));
		release();
		await writing;
		// On SQLite the read waited for the commit; on PostgreSQL it read the last committed state
		// (before or after, never a row of a transaction that might still roll back).
		expect([[], ['pending']]).toContainEqual(await reading);
		if (engine === 'sqlite') expect(await reading).toEqual(['pending']);
		await sqlRun(db, 'DELETE FROM digests');
	});
});
