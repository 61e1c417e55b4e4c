import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, signIn, testAdmin } from '../support/session';
import { createPilot } from '../support/reliability/api';
import { fuzzServer } from '../support/reliability/fuzz';

// Hostile input against every API endpoint and form action, a light run (`npm run stress`
// sends thousands). A failure prints the case and the seed; FUZZ_SEED=<seed> replays it.

const key = 'pi_fuzz-test-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'fuzz.db'),
		env: {
			SEED_DEMO: 'false',
			INIT_API_KEY: key,
			API_RATE_LIMIT: '0',
			REQUEST_LOG: 'off',
			...adminEnv
		}
	});
	await createPilot({ url: server.url, key }, 'fuzz');
});
afterAll(async () => {
	await server?.stop();
	dir.remove();
});

describe('fuzzing', () => {
	test(
		'no hostile request gets a 5xx, an answer out of contract, or writes a row',
		{ timeout: 180_000 },
		async () => {
			const cookie = await signIn(server.url, testAdmin.email, testAdmin.password);
			const figures = await fuzzServer(
				{ url: server.url, key, cookie, serverOutput: server.output },
				server.databasePath,
				{
					runs: 300,
					seed: Number(process.env.FUZZ_SEED ?? 20261126)
				}
			);
			expect(figures).toMatchObject({ serverErrors: 0, rowsWritten: 0 });
		}
	);
});
