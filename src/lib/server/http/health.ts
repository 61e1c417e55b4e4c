import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getDb, type Db } from '../db';
import { engineOf, sqlFirst, type Engine } from '../db/statements';

// Liveness and readiness for operators and load balancers: which engine, whether the database
// answers, and whether it holds every migration this build ships.

export interface Health {
	status: 'ok' | 'unavailable';
	engine: Engine;
	database: 'ok' | 'unreachable';
	migrations: { applied: number; shipped: number; current: boolean } | null;
}

/** Where each engine's migrations are, and the table drizzle records applied ones in. */
const migrationsOf: Record<Engine, { folder: string; table: string }> = {
	sqlite: { folder: 'drizzle', table: '__drizzle_migrations' },
	postgres: { folder: 'drizzle-pg', table: 'drizzle.__drizzle_migrations' }
};

export async function checkHealth(db: Db = getDb()): Promise<Health> {
	const engine = engineOf(db);
	const { folder, table } = migrationsOf[engine];
	try {
		await sqlFirst(db, 'SELECT 1');
		const applied =
			(await sqlFirst<{ n: number }>(db, `SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
		const journal = JSON.parse(readFileSync(resolve(folder, 'meta', '_journal.json'), 'utf8')) as {
			entries: unknown[];
		};
		const shipped = journal.entries.length;
		const current = applied === shipped;
		return {
			status: current ? 'ok' : 'unavailable',
			engine,
			database: 'ok',
			migrations: { applied, shipped, current }
		};
	} catch {
		return { status: 'unavailable', engine, database: 'unreachable', migrations: null };
	}
}
