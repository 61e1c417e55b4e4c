import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { writeLock } from '../../src/lib/server/db/statements';
import { postgresDatabase, type TestDatabase } from '../support/database';
import { freshDatabase } from '../support/postgres';
import { createPilot, postEvents } from '../support/reliability/api';
import { randomBatch, seededRandom } from '../support/reliability/random';
import { startServer, type RunningServer } from '../support/server';

// A connection lost in the middle of a batch: the batch's transaction is waiting for the write
// lock when the server ends its connection. The batch is rolled back whole, the client gets a
// retryable 503 with Retry-After (never a 500, never a partial batch), and the same batch sent
// again is stored.

const key = 'pi_test-admin-key-for-lost-connections-01';
const slug = 'lost-connection';
let database: TestDatabase;
let server: RunningServer;
let dropDatabase = async () => {};

beforeAll(async () => {
	const created = await freshDatabase(inject('postgresServer'));
	database = postgresDatabase(created.url);
	dropDatabase = created.stop;
	server = await startServer({
		databasePath: 'lost-connection',
		database,
		env: {
			SEED_DEMO: 'false',
			INIT_API_KEY: key,
			REQUEST_LOG: 'off',
			WEBHOOK_SECRET_KEY: 'ab'.repeat(32)
		}
	});
	await createPilot({ url: server.url, key }, slug);
}, 120_000);

afterAll(async () => {
	await server?.stop();
	await dropDatabase();
});

const stored = async (): Promise<number> =>
	(
		await database.query<{ n: number }>(
			'SELECT count(*) AS n FROM events WHERE pilot_id = (SELECT id FROM pilots WHERE slug = ?)',
			slug
		)
	)[0].n;

describe('a connection lost mid-batch', () => {
	test('rolls the batch back and answers a retryable 503; the batch sent again is stored', async () => {
		const events = randomBatch(seededRandom(7), 'lost', 200);
		const holder = new pg.Client({ connectionString: database.env.DATABASE_URL });
		await holder.connect();
		try {
			await holder.query('BEGIN');
			await holder.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
			const sending = fetch(`${server.url}/api/v1/pilots/${slug}/events`, {
				method: 'POST',
				headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
				body: JSON.stringify({ events })
			});
			// The batch's transaction has begun and waits for the lock: end its connection.
			let ended = 0;
			for (let tries = 0; ended === 0 && tries < 100; tries++) {
				await new Promise((resolve) => setTimeout(resolve, 50));
				const { rows } = await holder.query<{ ended: boolean }>(
					`SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
					 WHERE application_name = 'pilot-impact' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`
				);
				ended = rows.filter((r) => r.ended).length;
			}
			expect(ended).toBe(1);
			const response = await sending;
			expect(response.status).toBe(503);
			expect(response.headers.get('content-type')).toBe('application/problem+json');
			expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
			expect((await response.json()).detail).toMatch(/nothing of this request was stored/);
			await holder.query('COMMIT');
		} finally {
			await holder.end();
		}
		expect(await stored()).toBe(0);
		expect(await postEvents({ url: server.url, key }, slug, events)).toMatchObject({
			status: 200,
			accepted: 200,
			duplicates: 0
		});
		expect(await stored()).toBe(200);
	});
});

describe('the webhook secret key', () => {
	test('an instance given WEBHOOK_SECRET_KEY starts without the shared-key warning', () => {
		expect(server.output()).not.toContain('WEBHOOK_SECRET_KEY is not');
	});
});
