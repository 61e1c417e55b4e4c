import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getDb } from '../db';

// Liveness and readiness for operators and load balancers: the database answers, and it
// holds every migration this build ships.

export interface Health {
	status: 'ok' | 'unavailable';
	database: 'ok' | 'unreachable';
	migrations: { applied: number; shipped: number; current: boolean } | null;
}

export async function checkHealth(migrationsFolder = resolve('drizzle')): Promise<Health> {
	try {
		const client = getDb().$client;
		client.prepare('select 1').get();
		const applied = (
			client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }
		).n;
		const journal = JSON.parse(
			readFileSync(resolve(migrationsFolder, 'meta', '_journal.json'), 'utf8')
		) as {
			entries: unknown[];
		};
		const shipped = journal.entries.length;
		const current = applied === shipped;
		return {
			status: current ? 'ok' : 'unavailable',
			database: 'ok',
			migrations: { applied, shipped, current }
		};
	} catch {
		return { status: 'unavailable', database: 'unreachable', migrations: null };
	}
}
