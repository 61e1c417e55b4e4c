// Builds the app (and the CLI) when a build is missing or older than its sources (used by
// `npm start`, `npm run bench` and the `pilot-impact` command).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = [
	'src',
	'drizzle',
	'static',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

/**
 * The latest modification time below `path`, in milliseconds (0 when it does not exist).
 * @param {string} path
 * @returns {number}
 */
function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce(
		(max, name) => Math.max(max, newest(join(path, name))),
		stat.mtimeMs
	);
}

/** The path of the built server, built first when needed; exits the process if the build fails. */
export function ensureBuild() {
	const built = join(root, 'build', 'index.js');
	const stale = () =>
		sources.some((source) => newest(join(root, source)) > statSync(built).mtimeMs);
	if (!existsSync(built) || stale()) {
		console.log('Pilot Impact: building the app…');
		const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
		const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
			cwd: root,
			stdio: 'inherit'
		});
		if (result.status !== 0) process.exit(result.status ?? 1);
	}
	return built;
}

const cliSources = ['src/lib', 'package-lock.json', 'vite.cli.config.ts'];

/**
 * The path of the built `pilot-impact` command, built first when needed. The build's messages
 * go to stderr: stdout is the command's report.
 */
export function ensureCliBuild(name = 'pilot-impact') {
	const built = join(root, 'dist', `${name}.js`);
	const stale = () =>
		cliSources.some((source) => newest(join(root, source)) > statSync(built).mtimeMs);
	if (!existsSync(built) || stale()) {
		const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
		const result = spawnSync(
			process.execPath,
			[vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'],
			{ cwd: root, stdio: ['ignore', process.stderr, process.stderr] }
		);
		if (result.status !== 0) process.exit(result.status ?? 1);
	}
	return built;
}
