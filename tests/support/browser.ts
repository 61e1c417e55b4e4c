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

/** Signs in through the login form, as a person would; says why when the form refuses. */
export async function signInPage(
	page: Page,
	baseUrl: string,
	email: string,
	password: string
): Promise<void> {
	// The page's scripts start after "load" and may render the form afresh: wait for the
	// network to settle, and fill again if the fields were emptied under us.
	await page.goto(`${baseUrl}/login`, { waitUntil: 'networkidle' });
	for (let attempt = 0; attempt < 3; attempt++) {
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill(password);
		await page.waitForLoadState('networkidle');
		const filled =
			(await page.getByLabel('Email').inputValue()) === email &&
			(await page.getByLabel('Password').inputValue()) === password;
		if (filled) break;
	}
	const answer = page.waitForResponse(
		(response) =>
			response.request().method() === 'POST' && new URL(response.url()).pathname === '/login',
		{ timeout: 60_000 }
	);
	await page.getByRole('button', { name: 'Sign in' }).click();
	const response = await answer;
	if (response.status() !== 303 && response.status() !== 200) {
		throw new Error(`Sign-in as ${email} answered ${response.status()}: ${await response.text()}`);
	}
	await page.waitForURL((url) => url.pathname !== '/login', { timeout: 60_000 });
}
