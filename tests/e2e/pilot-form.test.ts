import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, testAdmin } from '../support/session';

const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'e2e.db'),
		env: { SEED_DEMO: 'false', ...adminEnv }
	});
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await signInPage(page, server.url, testAdmin.email, testAdmin.password);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

const readinessItems = (): Promise<string[]> =>
	page.locator('[data-testid="readiness"] li').allInnerTexts();

describe('a pilot owner creates a pilot', () => {
	test('from the empty portfolio, through a missing field, to a pilot whose readiness shrinks', async () => {
		await page.goto(server.url);
		await expect
			.poll(() => page.getByRole('heading', { name: 'No pilots yet' }).isVisible())
			.toBe(true);
		await page.getByRole('link', { name: 'Create the first pilot' }).click();
		await page.waitForURL('**/pilots/new');

		// Submit with the process missing: the message sits next to that field, the name stays.
		await page.getByLabel('Name').fill('Email triage assistant');
		await page.getByRole('button', { name: 'Create pilot' }).click();
		const processField = page.getByLabel('Process it improves');
		await expect.poll(() => processField.getAttribute('aria-invalid')).toBe('true');
		const describedBy = (await processField.getAttribute('aria-describedby')) ?? '';
		const message = page.locator(`[id="${describedBy.split(' ').at(-1)}"]`);
		expect(await message.innerText()).toBe('Describe the one concrete process this pilot improves');
		expect(await page.getByLabel('Name').inputValue()).toBe('Email triage assistant');

		// The readiness list shrinks while the charter is filled in.
		expect(await readinessItems()).toHaveLength(16);
		await processField.fill('Classify incoming support emails by urgency and responsible area');
		await page.getByLabel('Business owner').fill('Laura Méndez, Head of Customer Support');
		await expect.poll(readinessItems).toHaveLength(15);
		expect(await readinessItems()).not.toContain('No business owner');
		await page.getByLabel('ROI indicator').fill('handling_time');
		await expect.poll(readinessItems).toHaveLength(14);
		expect(await readinessItems()).not.toContain('No ROI indicator chosen');

		await page.getByRole('button', { name: 'Create pilot' }).click();
		await page.waitForURL('**/pilots/email-triage-assistant');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(
			'Email triage assistant'
		);
		expect(await readinessItems()).toHaveLength(14);
		expect(await readinessItems()).toContain('No technical owner');

		// Completing the rest makes the panel disappear.
		await page.getByRole('link', { name: 'Edit charter and governance' }).click();
		await page.waitForURL('**/edit');
		const answers: Record<string, string> = {
			'Concrete problem': 'Agents route every email by hand',
			'Technical owner': 'Jordi Puig',
			'Real users': 'Tier-1 agents',
			Data: 'Zendesk tickets',
			Integration: 'Zendesk fields',
			Risk: 'A misrouted urgent ticket waits longer',
			Evaluation: 'Weekly review of 120 tickets',
			Adoption: 'Agents start from the suggested queue',
			'Data it may read': 'Ticket text only',
			'Actions it may execute': 'Sets area and urgency',
			'Human approval': 'Closing tickets',
			Logging: 'Ticket audit trail',
			'Error reviewer': 'Support quality lead',
			'Kill switch': 'Zendesk trigger off'
		};
		for (const [label, value] of Object.entries(answers)) {
			await page.getByLabel(label, { exact: true }).fill(value);
		}
		await expect.poll(() => page.getByTestId('ready').isVisible()).toBe(true);
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL('**/pilots/email-triage-assistant');
		expect(await page.getByTestId('readiness').count()).toBe(0);
		await page.screenshot({ path: artifactPath('pilot-page.png'), fullPage: true });
	});

	test('an unknown pilot shows a friendly page with a way back', async () => {
		const response = await page.goto(`${server.url}/pilots/does-not-exist`);
		expect(response?.status()).toBe(404);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			'We could not find that page'
		);
		await page.getByRole('link', { name: 'Back to the portfolio' }).click();
		await page.waitForURL(`${server.url}/`);
	});

	test('no script error happened on any page', () => {
		expect(pageErrors).toEqual([]);
	});
});
