import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { closePostgres, migratePostgres, openPostgres } from '../../src/lib/server/db/postgres';
import { freshDatabase, startPostgres, type TestPostgres } from './postgres';

// Most PostgreSQL test files want one server for the whole file and one database on it with
// every migration applied; the server starts in beforeAll, with a hook timeout well above the
// few seconds initdb and the first start take on a loaded machine.

export interface MigratedPostgres {
	/** The server's URL, for fresh databases beside the migrated one (see freshDatabase). */
	readonly url: string;
	/** The database with every migration applied, on a pool of the size asked for. */
	readonly db: Db;
}

/**
 * Starts the server and migrates its database before the file's tests, closes and stops them
 * after; called once at the top of a test file. The fields are there once the tests run.
 */
export function migratedPostgres(poolSize: number): MigratedPostgres {
	let server: TestPostgres | undefined;
	let migrated: Db | undefined;
	beforeAll(async () => {
		server = await startPostgres();
		const database = await freshDatabase(server.url);
		migrated = openPostgres(database.url, { poolSize });
		await migratePostgres(migrated);
	}, 120_000);
	afterAll(async () => {
		if (migrated) await closePostgres(migrated);
		await server?.stop();
	});
	return {
		get url() {
			return server!.url;
		},
		get db() {
			return migrated!;
		}
	};
}
