import { chromium, type Browser } from 'playwright-core';
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
