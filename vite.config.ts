import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Three test projects: pure unit tests beside the code, integration tests against the
// built server on a temp database, and browser tests in Chromium. The last two start
// real processes, so they run one file at a time.
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
			}
		]
	}
});
