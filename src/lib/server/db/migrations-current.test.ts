import { readFileSync, readdirSync } from 'node:fs';
import {
	generateDrizzleJson,
	generateMigration,
	generateSQLiteDrizzleJson,
	generateSQLiteMigration
} from 'drizzle-kit/api';
import { Table, is } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import * as pgSchema from './pg-schema';
import * as sqliteSchema from './schema';

// The migrations are generated from the schemas and committed; the app applies them, not the
// schemas. A schema changed without `npm run db:generate` (SQLite) and `npm run db:generate:pg`
// (PostgreSQL) would describe tables no database has: drizzle-kit's own diff, run here against
// the last snapshot of each folder, must find nothing to migrate.

/** The snapshot drizzle-kit wrote with the latest migration in `folder`. */
function latestSnapshot(folder: string) {
	const [last] = readdirSync(`${folder}/meta`)
		.filter((file) => file.endsWith('_snapshot.json'))
		.sort()
		.reverse();
	return JSON.parse(readFileSync(`${folder}/meta/${last}`, 'utf8'));
}

describe('the committed migrations describe the schema', () => {
	test('SQLite: drizzle/ has nothing left to generate from schema.ts', async () => {
		const previous = latestSnapshot('drizzle');
		const current = await generateSQLiteDrizzleJson(sqliteSchema, previous.id);
		expect(await generateSQLiteMigration(previous, current)).toEqual([]);
	});

	test('PostgreSQL: drizzle-pg/ has nothing left to generate from the tables derived for it', async () => {
		const previous = latestSnapshot('drizzle-pg');
		const current = generateDrizzleJson(pgSchema, previous.id);
		expect(await generateMigration(previous, current)).toEqual([]);
	});

	test('every table of schema.ts has its PostgreSQL table', () => {
		const names = (tables: Record<string, unknown>) =>
			Object.entries(tables)
				.filter(([, value]) => is(value, Table))
				.map(([key]) => key)
				.sort();
		expect(names(sqliteSchema)).toContain('events');
		expect(names(pgSchema)).toEqual(names(sqliteSchema));
	});
});
