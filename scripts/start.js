// `npm start`: builds the app when the build is missing or older than its sources, then
// serves it (migrating the database and seeding the demo portfolio on first start).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const sources = [
	'src',
	'drizzle',
	'static',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce(
		(max, name) => Math.max(max, newest(join(path, name))),
		stat.mtimeMs
	);
}

const built = join(root, 'build', 'index.js');
if (!existsSync(built) || sources.some((source) => newest(source) > statSync(built).mtimeMs)) {
	console.log('Pilot Impact: building the app…');
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ||= '3000';
// Form posts are checked against the site's origin; behind a proxy set ORIGIN to the public URL.
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
process.env.DATABASE_PATH ||= './data/pilot-impact.db';
// The ingestion API takes bodies up to 10 MiB (shared/API.md); adapter-node's default is 512 KB.
process.env.BODY_SIZE_LIMIT ||= '10M';
await import(built);
console.log(
	`Pilot Impact is running at http://localhost:${process.env.PORT} (database: ${process.env.DATABASE_PATH})`
);
