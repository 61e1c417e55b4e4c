import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'demo.db') });
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	await signInPage(page, server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

describe('the demo portfolio', () => {
	test('lists every pilot and filters by stage', async () => {
		await page.goto(server.url);
		const names = page.locator('table a.name');
		expect(await names.count()).toBe(6);
		await page.screenshot({ path: artifactPath('portfolio.png') });
		const triage = page.getByRole('row', { name: /Email triage assistant/ });
		expect(await triage.getByTestId('quality').innerText()).toBe('passing');

		await page.getByLabel('Stage').selectOption('decided');
		await page.waitForURL(/\?stage=decided/);
		expect(await names.allInnerTexts()).toEqual(
			expect.arrayContaining(['Invoice data extraction', 'Call summaries to CRM'])
		);
		expect(await names.count()).toBe(2);
	});

	test('a running pilot offers to record the decision and asks for a rationale', async () => {
		await page.goto(`${server.url}/pilots/email-triage-assistant`);
		// Adoption measures stand in their own group, apart from the impact.
		expect(await page.getByTestId('adoption').innerText()).toContain('Cases escalated to a person');
		await page.getByLabel('Decision').selectOption('scale');
		await page.getByLabel('Rationale').fill('Too short');
		await page.getByRole('button', { name: 'Record the decision' }).click();
		await expect.poll(() => page.getByLabel('Rationale').getAttribute('aria-invalid')).toBe('true');
		// Scaling is against the recommendation ("correct"): an override needs an argument.
		expect(await page.getByText(/overrides the analysis .* at least 8 words/).count()).toBe(1);
		expect(await page.getByLabel('Rationale').inputValue()).toBe('Too short');
	});
});
