import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// Each demo role signs in and sees what it may do, and not more.

const dir = tempDir();
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'roles.db') });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

interface Expectation {
	role: string;
	pilots: number;
	nav: string[];
	notNav: string[];
	canEdit: boolean;
	canDecide: boolean;
}

const roles: Expectation[] = [
	{
		role: 'admin',
		pilots: 6,
		nav: ['Audit log', 'Users'],
		notNav: [],
		canEdit: true,
		canDecide: true
	},
	{
		role: 'leadership',
		pilots: 6,
		nav: ['Audit log'],
		notNav: ['Users'],
		canEdit: false,
		canDecide: true
	},
	{
		role: 'owner',
		pilots: 2,
		nav: [],
		notNav: ['Audit log', 'Users'],
		canEdit: true,
		canDecide: true
	},
	{
		role: 'member',
		pilots: 1,
		nav: [],
		notNav: ['Audit log', 'Users'],
		canEdit: false,
		canDecide: false
	}
];

describe('demo roles', () => {
	test.each(roles)('$role', async ({ role, pilots, nav, notNav, canEdit, canDecide }) => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		try {
			// The login page names the demo accounts.
			await page.goto(`${server.url}/login`);
			expect(await page.getByRole('cell', { name: `${role}@demo.pilot-impact.test` }).count()).toBe(
				1
			);
			await signInPage(page, server.url, `${role}@demo.pilot-impact.test`, `demo-${role}-pass`);

			expect(await page.locator('table a.name').count()).toBe(pilots);
			const main = page.getByRole('navigation', { name: 'Main' });
			for (const item of nav) expect(await main.getByRole('link', { name: item }).count()).toBe(1);
			for (const item of notNav)
				expect(await main.getByRole('link', { name: item }).count()).toBe(0);

			await page.goto(`${server.url}/pilots/email-triage-assistant`);
			expect(await page.getByRole('link', { name: 'Edit charter and governance' }).count()).toBe(
				canEdit ? 1 : 0
			);
			expect(await page.getByRole('link', { name: 'Data and API keys' }).count()).toBe(
				canEdit ? 1 : 0
			);
			expect(await page.getByRole('button', { name: 'Record the decision' }).count()).toBe(
				canDecide ? 1 : 0
			);
			await page.screenshot({ path: artifactPath(`pilot-as-${role}.png`), fullPage: true });

			// Hidden buttons are not the protection: the server refuses too.
			const edit = await page.goto(`${server.url}/pilots/email-triage-assistant/edit`);
			expect(edit?.status()).toBe(canEdit ? 200 : 403);
			if (!canEdit) {
				expect(
					await page.getByRole('heading', { name: 'You do not have access to this' }).count()
				).toBe(1);
			}
		} finally {
			await context.close();
		}
	});
});
