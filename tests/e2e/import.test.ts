import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// A pilot owner imports a helpdesk's ticket export: timestamps instead of durations, status and
// satisfaction as text, a quoted subject over two lines, a byte-order mark and two broken rows.
// The baseline is measured from it; the same file a second time changes nothing.

const fixture = fileURLToPath(new URL('../fixtures/import/helpdesk-export.csv', import.meta.url));
const adminKey = 'pi_test-admin-key-for-the-import-test-0123456789';
const slug = 'helpdesk-replies';

const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const definition = {
	slug,
	name: 'Helpdesk reply drafts',
	timezone: 'Europe/Madrid',
	baselineWindow: { start: '2026-09-01T00:00:00+02:00', end: '2026-10-01T00:00:00+02:00' },
	pilotWindow: { start: '2026-10-01T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' },
	metrics: [
		{
			key: 'first_response',
			label: 'First response time',
			unit: 'min',
			kind: 'mean',
			measure: 'first_response_minutes',
			direction: 'decrease',
			role: 'primary',
			target: { relative: -0.2 }
		},
		{
			key: 'resolution_time',
			label: 'Resolution time',
			unit: 'h',
			kind: 'mean',
			measure: 'resolution_hours',
			direction: 'decrease',
			role: 'secondary'
		},
		{
			key: 'resolution_rate',
			label: 'Resolution rate',
			kind: 'proportion',
			measure: 'resolved',
			direction: 'increase',
			role: 'secondary'
		},
		{
			key: 'satisfaction',
			label: 'Satisfied customers',
			kind: 'proportion',
			measure: 'satisfied',
			direction: 'increase',
			role: 'guardrail',
			tolerance: { absolute: 0.05 }
		}
	]
};

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'import.db'),
		env: { INIT_API_KEY: adminKey }
	});
	const created = await fetch(`${server.url}/api/v1/pilots`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(definition)
	});
	expect(created.status, await created.clone().text()).toBe(201);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await signInPage(page, server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

async function chooseFile(): Promise<void> {
	await page.goto(`${server.url}/pilots/${slug}/data`);
	await page.getByLabel('CSV file').setInputFiles(fixture);
	await expect.poll(() => page.getByTestId('file-shape').innerText()).toContain('9 columns');
}

async function check(): Promise<string> {
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.getByTestId('check-summary').waitFor({ timeout: 30_000 });
	return page.getByTestId('check-summary').innerText();
}

async function importValid(): Promise<string> {
	await page.getByRole('button', { name: /^Import \d+ valid rows$/ }).click();
	await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
	return page.getByTestId('import-result').innerText();
}

describe('importing a helpdesk export', () => {
	test('map, preview, import: the baseline is measured from the file', async () => {
		await page.goto(`${server.url}/pilots/${slug}/baseline`);
		expect(await page.getByText('No baseline yet').count()).toBe(4);

		await chooseFile();
		// The UTF-8 byte-order mark is not part of the first column's name; accents survive.
		expect(await page.getByTestId('file-rows').innerText()).toContain('Jürgen Müller');
		expect(await page.getByLabel('Encoding').inputValue()).toBe('utf-8');
		expect(await page.getByLabel('Case id column').inputValue()).toBe('Ticket ID');
		expect(await page.getByLabel('Timestamp column').inputValue()).toBe('Created at');
		expect(await page.getByLabel('Time zone of timestamps without an offset').inputValue()).toBe(
			'Europe/Madrid'
		);

		await page.getByLabel('first_response_minutes: source').selectOption('duration');
		await page.getByLabel('first_response_minutes: from').selectOption('Created at');
		await page.getByLabel('first_response_minutes: to').selectOption('First reply at');
		await page.getByLabel('resolution_hours: source').selectOption('duration');
		await page.getByLabel('resolution_hours: from').selectOption('Created at');
		await page.getByLabel('resolution_hours: to').selectOption('Solved at');
		await page.getByLabel('resolution_hours: unit').selectOption('hours');
		await page.getByLabel('resolved: source').selectOption('category');
		await page.getByLabel('resolved: column').selectOption('Status');
		await page.getByLabel('resolved: value of “Solved”').fill('1');
		await page.getByLabel('resolved: value of “Closed”').fill('1');
		await page.getByLabel('resolved: value of “Open”').fill('0');
		await page.getByLabel('resolved: value of “Pending”').fill('0');
		await page.getByLabel('satisfied: source').selectOption('category');
		await page.getByLabel('satisfied: column').selectOption('Satisfaction');
		await page.getByLabel('satisfied: value of “Good”').fill('1');
		await page.getByLabel('satisfied: value of “Bad”').fill('0');
		// "Offered" stays empty: a survey sent but not answered is no observation.
		await page.getByLabel('Segment column').selectOption('Group');

		await page.getByLabel('Profile name').fill('Helpdesk weekly export');
		await page.getByRole('button', { name: 'Save as profile' }).click();
		await expect
			.poll(() => page.getByText('Profile “Helpdesk weekly export” saved.').count())
			.toBe(1);

		const summary = await check();
		expect(summary).toBe('42 rows: 40 new, 0 already stored, 2 rejected.');
		const sample = await page.getByTestId('import-sample').innerText();
		// 2026-09-01 13:31 in Madrid (summer time) is 11:31 UTC; 81 minutes to the first reply.
		expect(sample).toContain('2026-09-01T11:31:00.000Z');
		expect(sample).toMatch(/48200\s+2026-09-01T11:31:00.000Z\s+baseline\s+Billing\s+ai\s+81/);
		const rejected = await page.getByTestId('import-rejected').innerText();
		expect(rejected).toContain('First reply at is before Created at');
		expect(rejected).toContain('outside both the baseline and the pilot window');
		// Line 20: the subject of ticket 48211 spans two lines.
		expect(rejected).toMatch(/\b20\s+48300\b/);

		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Download the rows not imported (CSV)' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toBe('rejected-helpdesk-export.csv');

		expect(await importValid()).toBe('40 new, 0 duplicates, 2 rejected.');
		await page.screenshot({ path: artifactPath('import.png'), fullPage: true });

		await page.getByRole('link', { name: 'See the baseline' }).click();
		await page.waitForURL(`**/pilots/${slug}/baseline`);
		expect(await page.getByText('No baseline yet').count()).toBe(0);
		const firstResponse = await page
			.getByRole('region', { name: /First response time/ })
			.innerText();
		expect(firstResponse).toContain('measured');
		expect(firstResponse).toMatch(/from \d+ cases/);
	});

	test('the same file again, with the saved profile: 0 new, all duplicates', async () => {
		await chooseFile();
		await expect
			.poll(() => page.getByText('Profile “Helpdesk weekly export” applied.').count())
			.toBe(1);
		expect(await check()).toBe('42 rows: 0 new, 40 already stored, 2 rejected.');
		expect(await importValid()).toBe('0 new, 40 duplicates, 2 rejected.');
		expect(pageErrors).toEqual([]);
	});

	test('pasted text from a European spreadsheet: semicolons, decimal commas, day first', async () => {
		await page.goto(`${server.url}/pilots/${slug}/data`);
		await page.getByText('or paste the CSV text').click();
		await page
			.getByLabel('CSV text')
			.fill(
				'Ref;Abierto;Horas;Estado\n' +
					'P-1;02/09/2026 09:00;1,5;Solved\n' +
					'P-2;23/09/2026 18:30;12,25;Open\n'
			);
		await page.getByRole('button', { name: 'Use the pasted text' }).click();
		await expect.poll(() => page.getByTestId('file-shape').innerText()).toContain('4 columns');
		expect(await page.getByLabel('Delimiter').inputValue()).toBe(';');
		expect(await page.getByLabel('Decimal separator').inputValue()).toBe(',');
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('dmy');
		await page.getByLabel('Case id column').selectOption('Ref');
		await page.getByLabel('Timestamp column').selectOption('Abierto');
		await page.getByLabel('resolution_hours: source').selectOption('number');
		await page.getByLabel('resolution_hours: column').selectOption('Horas');
		expect(await check()).toBe('2 rows: 2 new, 0 already stored, 0 rejected.');
		const sample = await page.getByTestId('import-sample').innerText();
		expect(sample).toMatch(/P-1\s+2026-09-02T07:00:00.000Z\s+baseline\s+ai\s+1.5/);
		expect(sample).toMatch(/P-2\s+2026-09-23T16:30:00.000Z\s+baseline\s+ai\s+12.25/);
		expect(pageErrors).toEqual([]);
	});

	test('an event log repeating a case id never leaves the wizard stuck', async () => {
		await page.goto(`${server.url}/pilots/${slug}/data`);
		await page.getByText('or paste the CSV text').click();
		await page
			.getByLabel('CSV text')
			.fill(
				'number,opened_at,hours\n' +
					'INC1,2026-09-02T09:00:00Z,1.5\n' +
					'INC1,2026-09-02T10:00:00Z,2\n' +
					'INC2,2026-09-03T09:00:00Z,3\n'
			);
		await page.getByRole('button', { name: 'Use the pasted text' }).click();
		await expect.poll(() => page.getByTestId('file-shape').innerText()).toContain('3 columns');
		await page.getByLabel('Case id column').selectOption('number');
		await page.getByLabel('Timestamp column').selectOption('opened_at');
		await page.getByLabel('resolution_hours: source').selectOption('number');
		await page.getByLabel('resolution_hours: column').selectOption('hours');
		// The shape is said before checking, and the last row of each case is offered.
		expect(await page.getByTestId('event-log-note').innerText()).toContain(
			'looks like an event log'
		);
		expect(await page.getByLabel('Rows per case').inputValue()).toBe('last');
		expect(await check()).toBe(
			'3 rows: 2 new, 0 already stored, 0 rejected. 1 left out (another row of their case is imported).'
		);
		expect(await page.getByTestId('import-sample').innerText()).toMatch(/INC1\s+2026-09-02T10:00/);
		expect(await page.getByTestId('import-rejected').innerText()).toContain(
			'another row of case INC1 is imported: line 3'
		);
		// Each row as a case: the repeat is rejected and named, and the wizard can be used again.
		await page.getByLabel('Rows per case').selectOption('one');
		expect(await check()).toBe('3 rows: 2 new, 0 already stored, 1 rejected.');
		expect(await page.getByTestId('check-cases').innerText()).toContain(
			'1 row repeats the case id of an earlier row'
		);
		expect(await page.getByRole('button', { name: 'Check the file' }).isEnabled()).toBe(true);
		expect(pageErrors).toEqual([]);
	});

	test('two-digit years, day first, are detected and read with the stated pivot', async () => {
		await page.goto(`${server.url}/pilots/${slug}/data`);
		await page.getByText('or paste the CSV text').click();
		await page
			.getByLabel('CSV text')
			.fill('Ref,Opened,Hours\nY-1,02-09-26 09:00,1.5\nY-2,23-09-26 18:30,2\n');
		await page.getByRole('button', { name: 'Use the pasted text' }).click();
		await expect.poll(() => page.getByTestId('file-shape').innerText()).toContain('3 columns');
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('dmy');
		expect(await page.getByText('Two-digit years: 00–68 are 2000–2068').count()).toBe(1);
		await page.getByLabel('Case id column').selectOption('Ref');
		await page.getByLabel('Timestamp column').selectOption('Opened');
		await page.getByLabel('resolution_hours: source').selectOption('number');
		await page.getByLabel('resolution_hours: column').selectOption('Hours');
		expect(await check()).toBe('2 rows: 2 new, 0 already stored, 0 rejected.');
		const sample = await page.getByTestId('import-sample').innerText();
		expect(sample).toMatch(/Y-1\s+2026-09-02T07:00:00.000Z\s+baseline/);
		expect(sample).toMatch(/Y-2\s+2026-09-23T16:30:00.000Z\s+baseline/);
		expect(pageErrors).toEqual([]);
	});
});
