import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Test projects: pure unit tests beside the code, integration tests against the built
// server on a temp database, the same API suites again on PostgreSQL, and browser tests in
// Chromium; these four make `npm test`.
// The last two start real processes, so they run one file at a time. `stress` is the
// reliability suite at full size (`npm run stress`, minutes), which `npm test` leaves out.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts'],
					// A guard against a hang, not a time limit: the server's unit tests run real
					// databases (SQLite, and PostgreSQL for a few) and seed the demo portfolio, which
					// a busy machine slows.
					testTimeout: 30_000
				}
			},
			{
				test: {
					name: 'server',
					environment: 'node',
					include: ['tests/integration/**/*.test.ts'],
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				test: {
					// The integration suites that speak for the API (contract, access matrix, retries,
					// hostile input, imports and exports, reports) on a throwaway PostgreSQL.
					name: 'server-pg',
					environment: 'node',
					include: [
						'tests/integration/access-matrix.test.ts',
						'tests/integration/daily-looks.test.ts',
						'tests/integration/evaluations-api.test.ts',
						'tests/integration/events-api.test.ts',
						'tests/integration/hostile-input.test.ts',
						'tests/integration/import-export.test.ts',
						'tests/integration/openapi.test.ts',
						'tests/integration/report-downloads.test.ts',
						'tests/integration/retries.test.ts',
						'tests/postgres/**/*.test.ts'
					],
					env: { TEST_ENGINE: 'postgres' },
					globalSetup: ['tests/support/postgres-setup.ts'],
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				test: {
					name: 'browser',
					environment: 'node',
					include: ['tests/e2e/**/*.test.ts'],
					fileParallelism: false,
					testTimeout: 90_000,
					hookTimeout: 120_000
				}
			},
			{
				test: {
					name: 'stress',
					environment: 'node',
					include: ['tests/stress/**/*.test.ts'],
					fileParallelism: false,
					testTimeout: 900_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
