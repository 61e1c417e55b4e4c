import { openDatabase, type Db } from '../../src/lib/server/db';
import { seedDemoPortfolio } from '../../src/lib/server/demo/seed';

/**
 * How long a test that seeds the demo portfolio (six pilots with their accounts, plans, events
 * and decisions) may take: a few seconds, several times that on a loaded 2-core machine.
 */
export const DEMO_SEEDING_TIMEOUT = 30_000;

/** A new in-memory database holding the demo portfolio. */
export async function demoDatabase(): Promise<Db> {
	const db = openDatabase(':memory:');
	await seedDemoPortfolio(db);
	return db;
}
