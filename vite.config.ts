import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Test projects: pure unit tests beside the code, integration tests against the built
// server on a temp database, and browser tests in Chromium; these three make `npm test`.
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
					include: ['src/**/*.test.ts']
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
