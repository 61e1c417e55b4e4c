import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { signIn } from '../support/session';
import { createPilot } from '../support/reliability/api';
import { loadTest } from '../support/reliability/load';

// A short load run (`npm run stress` runs longer and records the figures). The per-key rate
// limit is off here: this measures the server, not the limiter.

const key = 'pi_load-test-admin-key-0123456789abcdef';
let server: RunningServer;
const dir = tempDir();

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'load.db'),
		env: { INIT_API_KEY: key, API_RATE_LIMIT: '0', REQUEST_LOG: 'off' }
	});
	await createPilot({ url: server.url, key }, 'load');
});
afterAll(async () => {
	await server?.stop();
	dir.remove();
});

describe('load', () => {
	test(
		'50 connections on ingestion, an impact page and the portfolio: no error, nothing lost',
		{ timeout: 60_000 },
		async () => {
			const cookie = await signIn(server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
			const figures = await loadTest({
				url: server.url,
				key,
				cookie,
				slug: 'load',
				databasePath: server.databasePath,
				batches: 300,
				pageViews: 20
			});
			console.log('load', JSON.stringify(figures));
			for (const endpoint of [figures.ingestion, figures.impactPage, figures.portfolio]) {
				expect(endpoint).toMatchObject({ errors: 0, non2xx: 0 });
				expect(endpoint.requests).toBeGreaterThan(0);
			}
			expect(figures.busyAnswers).toBe(0);
			expect(figures.eventsStored).toBe(figures.eventsAcknowledged);
			expect(server.output()).not.toMatch(/SQLITE_BUSY/);
		}
	);
});
