import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Debian's Chromium, never a downloaded browser. The flags keep it from reaching for the
// internet, which these machines refuse.
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/** Where tests leave screenshots for people to look at. */
export function artifactPath(name: string): string {
	const dir = join('test-results', 'screenshots');
	mkdirSync(dir, { recursive: true });
	return join(dir, name);
}

/** Signs in through the login form, as a person would. */
export async function signInPage(
	page: Page,
	baseUrl: string,
	email: string,
	password: string
): Promise<void> {
	await page.goto(`${baseUrl}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login');
}
