import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { databaseFor, type TestDatabase } from './database';

// Starts the built app (`node build`, as in production) on a free port and a temp database:
// the SQLite file `databasePath`, or with TEST_ENGINE=postgres a PostgreSQL database that
// stands for that file (database.ts).

export interface RunningServer {
	url: string;
	databasePath: string;
	/** The server's database, for a test to read or change directly. */
	database: TestDatabase;
	output: () => string;
	stop: () => Promise<void>;
	/** Sends a signal and resolves when the process has exited, with how it ended. */
	kill: (signal: NodeJS.Signals) => Promise<{ code: number | null; signal: string | null }>;
}

export function tempDir(prefix = 'pilot-impact-'): { path: string; remove: () => void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => done(port));
		});
	});
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Server exited early:\n${output()}`);
		try {
			const response = await fetch(`${url}/login`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`Server did not answer within 30 s:\n${output()}`);
}

export async function startServer(
	options: {
		databasePath: string;
		env?: Record<string, string>;
		/** The database to run on instead of the one the run's engine gives `databasePath`. */
		database?: TestDatabase;
	} = { databasePath: ':memory:' }
): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const database = options.database ?? (await databaseFor(options.databasePath));
	let log = '';
	const child = spawn(process.execPath, [resolve('build/index.js')], {
		cwd: resolve('.'),
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			DATABASE_PATH: options.databasePath,
			...database.env,
			BODY_SIZE_LIMIT: '10M',
			// Demo accounts get random passwords by default; tests sign in with known ones.
			DEMO_PASSWORD: 'demo-{role}-pass',
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const output = (): string => log;
	await waitUntilUp(url, child, output);
	return {
		url,
		databasePath: options.databasePath,
		database,
		output,
		stop: () =>
			new Promise((done) => {
				if (child.exitCode !== null) return done();
				child.once('exit', () => done());
				child.kill('SIGTERM');
			}),
		kill: (signal) =>
			new Promise((done) => {
				if (child.exitCode !== null || child.signalCode !== null)
					return done({ code: child.exitCode, signal: child.signalCode });
				child.once('exit', (code, signalCode) => done({ code, signal: signalCode }));
				child.kill(signal);
			})
	};
}
