import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// The pilot page as leadership reads it every day: each metric's interval with the sentence
// that says it stays valid however often it is read, the baseline's trend in one sentence, and
// the primary metric and guardrails per segment, in a table.

const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'demo.db') });
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await signInPage(page, server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

describe('the pilot page for daily looks', () => {
	test('shows the decision interval, the trend sentence and the segment tables', async () => {
		await page.goto(`${server.url}/pilots/email-triage-assistant`, { waitUntil: 'networkidle' });

		const card = page.locator('[data-testid="metric-card"][data-metric="handling_time"]');
		await expect(card.getByTestId('decision-interval').innerText()).resolves.toMatch(
			/anytime 95% interval/i
		);
		await expect(card.getByTestId('fixed-interval').innerText()).resolves.toMatch(/fixed-horizon/i);
		await expect(card.getByTestId('interval-sentence').innerText()).resolves.toMatch(
			/This interval stays valid however often you look/
		);

		const drift = page.getByTestId('baseline-drift');
		await expect(drift.getByTestId('trend-sentence').innerText()).resolves.toMatch(
			/^The baseline (showed no clear trend|was already (falling|rising)) .*a week/
		);
		await expect(drift.getByTestId('weekday-sentence').innerText()).resolves.toMatch(/weekday mix/);

		const errors = page.locator('[data-testid="segment-table"][data-metric="error_rate"]');
		await expect(errors.locator('caption').innerText()).resolves.toBe(
			'Misrouted tickets by segment'
		);
		const billing = errors.getByRole('row', { name: /^billing/ });
		await expect(billing.innerText()).resolves.toMatch(/Breached/);
		await expect(
			page
				.locator('[data-testid="segment-table"][data-metric="handling_time"]')
				.getByRole('columnheader', { name: 'Share of the change' })
				.count()
		).resolves.toBe(1);

		await expect(page.getByTestId('recommendation').innerText()).resolves.toMatch(
			/Misrouted tickets is breached in segment billing/
		);
		await page.getByTestId('segments').screenshot({ path: artifactPath('pilot-segments.png') });

		// On paper: the same words, one line each, under the metric table.
		await page.emulateMedia({ media: 'print' });
		const notes = await page.getByTestId('print-notes').innerText();
		expect(notes).toMatch(/stay valid however often the report is read/);
		expect(notes).toMatch(/The baseline (showed no clear trend|was already)/);
		expect(notes).toMatch(/^By segment: .*Misrouted tickets breached in billing/m);
		await page.emulateMedia({ media: 'screen' });
	});
});
