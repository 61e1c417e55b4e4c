import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from '../support/database';
import { freshDatabase } from '../support/postgres';
import { createPilot, postEvents } from '../support/reliability/api';
import { randomBatch, seededRandom } from '../support/reliability/random';
import { startServer, tempDir, type RunningServer } from '../support/server';

// Moving up: the demo portfolio and 10^5 events sent to the API on SQLite, moved with the
// built `db:move` command into an empty PostgreSQL database; every table's rows and every
// pilot's impact report are then the same on both engines, and a second move is refused.

const key = 'pi_test-admin-key-for-the-move-0123456789';
const env = { INIT_API_KEY: key, API_RATE_LIMIT: '0', REQUEST_LOG: 'off' };
const EVENTS = 100_000;
const BATCH = 5_000;

const dir = tempDir();
const sqlitePath = join(dir.path, 'before-the-move.db');
let sqlite: TestDatabase;
let postgres: TestDatabase;
let dropTarget = async () => {};

const move = (...args: string[]) =>
	promisify(execFile)(process.execPath, ['dist/db-move.js', '--from', sqlitePath, ...args], {
		env: { ...process.env, DATABASE_PATH: '' }
	}).then(
		({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
		(error: { code: number; stdout: string; stderr: string }) => error
	);

beforeAll(async () => {
	sqlite = sqliteDatabase(sqlitePath);
	const server = await startServer({ databasePath: sqlitePath, database: sqlite, env });
	try {
		const target = { url: server.url, key };
		await createPilot(target, 'moved-events');
		const random = seededRandom(20261129);
		for (let sent = 0; sent < EVENTS; sent += BATCH) {
			const answer = await postEvents(
				target,
				'moved-events',
				randomBatch(random, `b${sent}`, BATCH)
			);
			if (answer.status !== 200) throw new Error(answer.body);
		}
	} finally {
		await server.stop();
	}
	const target = await freshDatabase(inject('postgresServer'));
	postgres = postgresDatabase(target.url);
	dropTarget = target.stop;
}, 600_000);

afterAll(async () => {
	await dropTarget();
	dir.remove();
});

const counts = async (database: TestDatabase) => {
	const tables = await database.query<{ name: string }>(
		database.engine === 'sqlite'
			? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name"
			: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
	);
	const out: Record<string, number> = {};
	for (const { name } of tables) {
		out[name] = (await database.query<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))[0].n;
	}
	return out;
};

describe('npm run db:move', () => {
	test(
		'copies every row, and every pilot’s impact report is identical on both engines',
		{ timeout: 600_000 },
		async () => {
			const moved = await move('--to', postgres.env.DATABASE_URL);
			expect(moved.stderr).toBe('');
			expect(moved.code).toBe(0);
			const pilots = (await sqlite.query<{ n: number }>('SELECT count(*) AS n FROM pilots'))[0].n;
			expect(pilots).toBeGreaterThanOrEqual(5);
			expect(moved.stdout).toContain(
				`Impact reports identical on both engines: ${pilots} of ${pilots} pilots.`
			);
			const before = await counts(sqlite);
			expect(before.events).toBeGreaterThanOrEqual(EVENTS);
			expect(await counts(postgres)).toEqual(before);

			// Served by the app on each engine: the same reports over HTTP.
			const servers: RunningServer[] = [];
			try {
				for (const database of [sqlite, postgres]) {
					servers.push(
						await startServer({
							databasePath: sqlitePath,
							database,
							env: { ...env, SEED_DEMO: 'false' }
						})
					);
				}
				const slugs = (await sqlite.query<{ slug: string }>('SELECT slug FROM pilots')).map(
					(r) => r.slug
				);
				for (const slug of slugs) {
					const [onSqlite, onPostgres] = await Promise.all(
						servers.map(async (server) => {
							const response = await fetch(`${server.url}/api/v1/pilots/${slug}/impact`, {
								headers: { authorization: `Bearer ${key}` }
							});
							// A pilot without a plan has no report yet (409): the same on both.
							const body = (await response.json()) as Record<string, unknown>;
							return { status: response.status, body: withoutClock(body) };
						})
					);
					expect(onPostgres, slug).toEqual(onSqlite);
				}
				// New rows take ids after the copied ones (a pilot, its plan, its audit entries).
				await createPilot({ url: servers[1].url, key }, 'after-the-move');
			} finally {
				await Promise.all(servers.map((server) => server.stop()));
			}
		}
	);

	test('refuses a target that holds data, and writes nothing into it', async () => {
		const before = await counts(postgres);
		const again = await move('--to', postgres.env.DATABASE_URL);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/not empty/);
		expect(await counts(postgres)).toEqual(before);
	});

	test('without a postgres:// target it says how to call it', async () => {
		const wrong = await move('--to', 'mysql://localhost/x');
		expect(wrong.code).toBe(2);
		expect(wrong.stderr).toMatch(/--to needs a postgres:\/\/ URL/);
	});
});

/**
 * Two requests are made some milliseconds apart: the moment of the report differs, and with it
 * a running pilot's days elapsed and its costs and benefit to date (in the 9th digit). The move's
 * own check compares the reports for one moment, in full; here numbers keep 8 digits.
 */
function withoutClock(report: Record<string, unknown>): unknown {
	const rest = { ...report };
	delete rest.generatedAt;
	delete rest.pilotDaysElapsed;
	return JSON.parse(JSON.stringify(rest), (_, value: unknown) =>
		typeof value === 'number' ? Number(value.toPrecision(8)) : value
	);
}
