import { openDatabase, type Db } from '../../src/lib/server/db';
import { seedDemoPortfolio } from '../../src/lib/server/demo/seed';

/** A new in-memory database holding the demo portfolio. */
export async function demoDatabase(): Promise<Db> {
	const db = openDatabase(':memory:');
	await seedDemoPortfolio(db);
	return db;
}
