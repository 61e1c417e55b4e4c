// `npm run backup -- <file>`: a consistent copy of the database through SQLite's online
// backup API, safe while the server runs and writes (pages changed during the copy are
// copied again). Restore: stop the server, replace DATABASE_PATH with the backup file (and
// remove any -wal and -shm files beside it), start the server.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const source = resolve(process.env.DATABASE_PATH || './data/pilot-impact.db');
const target = process.argv[2];

if (!target) {
	console.error('Usage: npm run backup -- <backup-file>');
	process.exit(2);
}
if (!existsSync(source)) {
	console.error(`No database at ${source} (set DATABASE_PATH).`);
	process.exit(1);
}
if (existsSync(target)) {
	console.error(`${target} exists already; choose a new file name.`);
	process.exit(1);
}

const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
try {
	await db.backup(target);
	const copy = new Database(target, { readonly: true });
	const integrity = copy.pragma('integrity_check', { simple: true });
	copy.close();
	if (integrity !== 'ok') {
		console.error(`The backup failed its integrity check: ${integrity}`);
		process.exit(1);
	}
	console.log(`Backed up ${source} to ${resolve(target)} (integrity ok).`);
} finally {
	db.close();
}
