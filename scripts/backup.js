// `npm run backup -- <file>`: a consistent copy of the database through SQLite's online
// backup API, safe while the server runs and writes (pages changed during the copy are
// copied again). Restore: stop the server, replace DATABASE_PATH with the backup file (and
// remove any -wal and -shm files beside it), start the server.
// Without WEBHOOK_SECRET_KEY, the key the webhook secrets are encrypted with is the file
// `webhook-secret.key` beside the database: it is copied to `<backup-file>.webhook-secret.key`
// (owner-only), and restored as `webhook-secret.key` beside the restored database. Without it
// the restored app cannot sign deliveries to the endpoints registered before.
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
const keyFile = join(dirname(source), 'webhook-secret.key');
const keyTarget = `${target}.webhook-secret.key`;
if (existsSync(target) || existsSync(keyTarget)) {
	console.error(
		`${existsSync(target) ? target : keyTarget} exists already; choose a new file name.`
	);
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
	if (process.env.WEBHOOK_SECRET_KEY) {
		console.log('The webhook secret key is WEBHOOK_SECRET_KEY: keep it with the backup.');
	} else if (existsSync(keyFile)) {
		copyFileSync(keyFile, keyTarget, constants.COPYFILE_EXCL);
		chmodSync(keyTarget, 0o600);
		console.log(
			`Copied the webhook secret key to ${resolve(keyTarget)}; restore it as webhook-secret.key beside the database.`
		);
	}
} finally {
	db.close();
}
