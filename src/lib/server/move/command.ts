import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDatabasePath, openDatabase } from '../db';
import { closePostgres, openPostgres } from '../db/postgres';
import { moveDatabase } from './move';

// `npm run db:move -- --to postgres://…` (built to dist/db-move.js with the CLI): copies the
// app's SQLite file (DATABASE_PATH, or --from) into an empty PostgreSQL database and checks it.

const usage = `Usage: npm run db:move -- --to postgres://user:password@host:5432/database [--from path/to/pilot-impact.db]

Copies a Pilot Impact SQLite database into an empty PostgreSQL database (15 or newer), then checks
the rows of every table and every pilot's impact report on both. Stop the app first.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			to: { type: 'string' },
			from: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (values.help) {
		console.log(usage);
		return 0;
	}
	const to = values.to;
	if (!to || !/^postgres(ql)?:\/\//.test(to)) {
		console.error(`--to needs a postgres:// URL.\n\n${usage}`);
		return 2;
	}
	const from = values.from ?? (process.env.DATABASE_PATH || defaultDatabasePath);
	if (!existsSync(from)) {
		console.error(`There is no SQLite database at ${from} (give it with --from).`);
		return 2;
	}
	const source = openDatabase(from);
	const target = openPostgres(to, { statementTimeoutMs: 0 });
	try {
		console.log(`Moving ${from} to ${new URL(to).host}${new URL(to).pathname}…`);
		const result = await moveDatabase(source, target, (table, rows) => {
			process.stdout.write(`\r  ${table}: ${rows} rows`.padEnd(60));
		});
		process.stdout.write('\r'.padEnd(61) + '\r');
		const rows = result.tables.reduce((n, t) => n + t.rows, 0);
		console.log(`Copied ${rows} rows in ${result.tables.length} tables.`);
		const same = result.pilots.filter((p) => p.same).length;
		console.log(
			`Impact reports identical on both engines: ${same} of ${result.pilots.length} pilots.`
		);
		if (result.problems.length > 0) {
			console.error('The check found differences:');
			for (const problem of result.problems) console.error(`  ${problem}`);
			return 1;
		}
		console.log(`Done. Start the app with DATABASE_URL=${redacted(to)}`);
		return 0;
	} catch (error) {
		console.error(`The move stopped and wrote nothing: ${(error as Error).message}`);
		return 1;
	} finally {
		source.$client.close();
		await closePostgres(target);
	}
}

function redacted(url: string): string {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = '…';
	return parsed.toString();
}

process.exitCode = await main();
