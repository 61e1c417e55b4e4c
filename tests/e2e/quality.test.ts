import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// A member records an evaluation run that fails a gate; the recommendation turns to
// "correct" and names the criterion.

const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'quality.db') });
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await signInPage(page, server.url, 'member@demo.pilot-impact.test', 'demo-member-pass');
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

const decision = async (): Promise<string> =>
	(await page.getByTestId('recommendation').getAttribute('data-decision')) ?? '';

describe('quality gates', () => {
	test('a failing run fails its gate, with the reason, and the pilot stays at correct', async () => {
		await page.goto(`${server.url}/pilots/email-triage-assistant/evaluations`);
		// The demo's billing segment breaches a guardrail: "correct" before any run fails.
		expect(await decision()).toBe('correct');
		expect(await page.getByTestId('gates').innerText()).toContain('passed');

		// A form error first: counts above the total are refused next to the criterion.
		await page.getByLabel('What was evaluated').first().fill('prompt v4');
		await page.getByLabel('Correct: passed').fill('130');
		await page.getByLabel('Correct: cases').fill('120');
		await page.getByRole('button', { name: 'Record run' }).click();
		await expect.poll(() => page.getByText('passed cannot exceed total').count()).toBe(1);

		await page.getByLabel('Correct: passed').fill('117');
		await page.getByLabel('Keeps sensitive data out: passed').fill('118');
		await page.getByLabel('Keeps sensitive data out: cases').fill('120');
		await page.getByRole('button', { name: 'Record run' }).click();
		await expect.poll(() => page.getByText('Recorded “prompt v4”.').count()).toBe(1);

		expect(await decision()).toBe('correct');
		expect(await page.getByTestId('gates').innerText()).toContain('failed');
		expect(
			await page
				.getByText('Keeps sensitive data out: 2 failures in 120 cases; required 100%')
				.count()
		).toBe(1);
		await page.screenshot({ path: artifactPath('quality.png'), fullPage: true });
		expect(pageErrors).toEqual([]);
	});
});
