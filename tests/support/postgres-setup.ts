import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

// Global set-up of the `server-pg` project: one throwaway PostgreSQL for the whole run (or a
// fresh database on TEST_DATABASE_URL); each test server gets a database of its own on it
// (database.ts).

declare module 'vitest' {
	export interface ProvidedContext {
		/** postgres://… of a database on the run's server, used to create the tests' databases. */
		postgresServer: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const server = await startPostgres();
	project.provide('postgresServer', server.url);
	return () => server.stop();
}
