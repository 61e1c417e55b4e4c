import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { checkRetryProperty } from '../support/reliability/retries';

// Idempotent ingestion under retries, a light run of the property (`npm run stress` runs
// 1,000+). A failure prints its seed and path; FC_SEED=<seed> replays it.

const key = 'pi_retry-test-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'retries.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0', REQUEST_LOG: 'off' }
	});
});
afterAll(async () => {
	await server?.stop();
	dir.remove();
});

describe('retries', () => {
	test(
		'duplicates, reordering, partial retries and concurrent clients store each event once',
		{ timeout: 120_000 },
		async () => {
			const figures = await checkRetryProperty({ url: server.url, key }, server.database, {
				runs: 100,
				seed: Number(process.env.FC_SEED ?? 20261126)
			});
			expect(figures).toMatchObject({ lost: 0, duplicated: 0 });
			expect(figures.runs).toBeGreaterThanOrEqual(100);
		}
	);
});
