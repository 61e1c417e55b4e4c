import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// Real exports in the shapes that broke the first wizard: an incident event log (several rows
// per case, an order column, `?` for missing), a call-centre log (Y/N columns, the date with a
// two-digit year, day first, and the time in another column), and a ticket export with NA, -
// and n/a markers and two unreadable cells. Each is imported through the wizard, and the
// impact report's figures are compared with means this test computes from the same file.

const adminKey = 'pi_test-admin-key-for-the-import-shapes-0123456789';
const dir = tempDir();
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const fixturePath = (name: string): string =>
	fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** The fixtures have no quoted cells: a split is a faithful reading. */
function records(name: string): Record<string, string>[] {
	const [head, ...lines] = readFileSync(fixturePath(name), 'utf8').trim().split('\n');
	const columns = head.split(',');
	return lines.map((line) => Object.fromEntries(line.split(',').map((c, i) => [columns[i], c])));
}

/**
 * A wall-clock time as minutes, read with our own regular expressions (not the app's reader).
 * Every pair compared lies within one day of September or October before the clocks change, so
 * differences of wall-clock minutes are differences of real minutes.
 */
function wallMinutes(text: string): number {
	let m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
	if (m) return Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4], +m[5]) / 60_000;
	m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
	if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 60_000;
	throw new Error(`unexpected date ${text}`);
}

/** The month a date of the fixtures falls in: September is the baseline, October the pilot. */
function phaseOf(month: number): 'baseline' | 'pilot' | null {
	return month === 9 ? 'baseline' : month === 10 ? 'pilot' : null;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

type Expected = Record<string, Record<'baseline' | 'pilot', { n: number; value: number }>>;

function summarise(
	cases: readonly { phase: 'baseline' | 'pilot' | null; values: Record<string, number | null> }[]
): Expected {
	const expected: Expected = {};
	for (const phase of ['baseline', 'pilot'] as const) {
		const inPhase = cases.filter((c) => c.phase === phase);
		for (const key of Object.keys(inPhase[0].values)) {
			const xs = inPhase.map((c) => c.values[key]).filter((x): x is number => x !== null);
			(expected[key] ??= {} as Expected[string])[phase] = { n: xs.length, value: mean(xs) };
		}
	}
	return expected;
}

const windows = {
	timezone: 'Europe/Madrid',
	baselineWindow: { start: '2026-09-01T00:00:00+02:00', end: '2026-10-01T00:00:00+02:00' },
	pilotWindow: { start: '2026-10-01T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' }
};

function metric(
	key: string,
	measure: string,
	kind: 'mean' | 'proportion',
	primary = false
): Record<string, unknown> {
	return {
		key,
		label: key.replace(/_/g, ' '),
		kind,
		measure,
		direction: kind === 'proportion' ? 'increase' : 'decrease',
		role: primary ? 'primary' : 'secondary',
		...(primary ? { target: { relative: kind === 'proportion' ? 0.05 : -0.1 } } : {})
	};
}

const pilots = [
	{
		slug: 'incident-log',
		name: 'Incident triage',
		metrics: [
			metric('resolution', 'resolution_hours', 'mean', true),
			metric('sla', 'made_sla', 'proportion'),
			metric('reassignments', 'reassignment_count', 'mean')
		]
	},
	{
		slug: 'call-centre',
		name: 'Call assistant',
		metrics: [
			metric('answered', 'answered', 'proportion', true),
			metric('resolved', 'resolved', 'proportion'),
			metric('speed', 'speed_of_answer_seconds', 'mean'),
			metric('satisfaction', 'satisfaction', 'mean')
		]
	},
	{
		slug: 'ticket-markers',
		name: 'Ticket replies',
		metrics: [
			metric('first_response', 'first_response_minutes', 'mean', true),
			metric('resolution', 'resolution_hours', 'mean'),
			metric('csat', 'csat', 'mean')
		]
	}
];

async function impact(slug: string): Promise<Expected> {
	const response = await fetch(`${server.url}/api/v1/pilots/${slug}/impact`, {
		headers: { authorization: `Bearer ${adminKey}` }
	});
	expect(response.status).toBe(200);
	const report = (await response.json()) as {
		metrics: {
			key: string;
			baseline: { n: number; value: number };
			pilot: { n: number; value: number };
		}[];
	};
	return Object.fromEntries(
		report.metrics.map((m) => [
			m.key,
			{
				baseline: { n: m.baseline.n, value: m.baseline.value },
				pilot: { n: m.pilot.n, value: m.pilot.value }
			}
		])
	);
}

function expectFigures(actual: Expected, expected: Expected): void {
	for (const [key, phases] of Object.entries(expected)) {
		for (const phase of ['baseline', 'pilot'] as const) {
			expect(actual[key][phase].n, `${key} ${phase} n`).toBe(phases[phase].n);
			expect(actual[key][phase].value, `${key} ${phase} value`).toBeCloseTo(phases[phase].value, 9);
		}
	}
}

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'import-shapes.db'),
		env: { INIT_API_KEY: adminKey }
	});
	for (const pilot of pilots) {
		const created = await fetch(`${server.url}/api/v1/pilots`, {
			method: 'POST',
			headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ ...pilot, ...windows })
		});
		expect(created.status, await created.clone().text()).toBe(201);
	}
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

async function chooseFile(slug: string, name: string, columns: number): Promise<void> {
	await page.goto(`${server.url}/pilots/${slug}/data`);
	await page.getByLabel('CSV file').setInputFiles(fixturePath(name));
	await expect
		.poll(() => page.getByTestId('file-shape').innerText())
		.toContain(`${columns} columns`);
}

async function check(): Promise<string> {
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.getByTestId('check-summary').waitFor({ timeout: 30_000 });
	return (await page.getByTestId('check-summary').innerText()).trim();
}

async function importValid(): Promise<string> {
	await page.getByRole('button', { name: /^Import \d+ valid rows$/ }).click();
	await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
	return (await page.getByTestId('import-result').innerText()).trim();
}

/** new / stored / rejected / left out / combined, from a check's or an import's sentence. */
function counts(text: string): number[] {
	const n = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
	return [
		n(/(\d+) new/),
		n(/(\d+) (?:already stored|duplicates)/),
		n(/(\d+) rejected/),
		n(/(\d+) left out/),
		n(/(\d+) combined/)
	];
}

describe('importing real export shapes', () => {
	test('an incident event log: the last row of each case by its update time', async () => {
		const rows = records('incident-log.csv');
		// Independently: the last row of each incident by sys_mod_count.
		const last = new Map<string, { row: Record<string, string>; line: number }>();
		rows.forEach((row, i) => {
			const seen = last.get(row.number);
			if (!seen || +row.sys_mod_count > +seen.row.sys_mod_count)
				last.set(row.number, { row, line: i + 2 });
		});
		const cases = [...last.values()].map(({ row }) => ({
			phase: phaseOf(+row.opened_at.slice(3, 5)),
			values: {
				resolution:
					row.resolved_at === '?'
						? null
						: (wallMinutes(row.resolved_at) - wallMinutes(row.opened_at)) / 60,
				sla: row.made_sla === 'true' ? 1 : 0,
				reassignments: +row.reassignment_count
			}
		}));
		const outside = cases.filter((c) => c.phase === null).length;
		expect(outside).toBe(1);

		await chooseFile('incident-log', 'incident-log.csv', 10);
		expect(await page.getByLabel('Case id column').inputValue()).toBe('number');
		// opened_by is named like a time but holds callers.
		expect(await page.getByLabel('Timestamp column').inputValue()).toBe('opened_at');
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('dmy');
		// The shape is said before checking, and an event log's rule is offered.
		expect(await page.getByTestId('event-log-note').innerText()).toContain(
			'looks like an event log'
		);
		expect(await page.getByLabel('Rows per case').inputValue()).toBe('last');
		expect(await page.getByLabel("Order of a case's rows").inputValue()).toBe('sys_updated_on');
		expect(await page.getByLabel('Missing-value marker ?', { exact: true }).isChecked()).toBe(true);
		expect(await page.getByLabel('made_sla: source').inputValue()).toBe('boolean');
		expect(await page.getByLabel('reassignment_count: source').inputValue()).toBe('number');
		await page.getByLabel('resolution_hours: source').selectOption('duration');
		await page.getByLabel('resolution_hours: from').selectOption('opened_at');
		await page.getByLabel('resolution_hours: to').selectOption('resolved_at');
		await page.getByLabel('resolution_hours: unit').selectOption('hours');

		const leftOut = rows.length - last.size;
		const summary = await check();
		expect(summary).toBe(
			`${rows.length} rows: ${last.size - outside} new, 0 already stored, ${outside} rejected. ${leftOut} left out (another row of their case is imported).`
		);
		expect(await page.getByTestId('check-cases').innerText()).toContain(`${last.size} cases.`);
		const listed = await page.getByTestId('import-rejected').innerText();
		expect(listed).toContain('outside both the baseline and the pilot window');
		// INC0003's rows are out of order in the file: its last by update time is line 8.
		expect(last.get('INC0003')!.line).toBe(8);
		expect(listed).toContain('another row of case INC0003 is imported: line 8');

		const result = await importValid();
		expect(counts(result)).toEqual(counts(summary));
		// Every row not imported is listed after the import too, and downloadable.
		expect(await page.getByText(`Rows not imported (${outside + leftOut})`).count()).toBe(1);
		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Download the rows not imported (CSV)' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toBe('not-imported-incident-log.csv');
		const text = readFileSync((await file.path())!, 'utf8')
			.trim()
			.split(/\r?\n/);
		expect(text).toHaveLength(1 + outside + leftOut);
		expect(text[0]).toBe(`line,reason,${Object.keys(rows[0]).join(',')}`);

		expectFigures(await impact('incident-log'), summarise(cases));
		expect(pageErrors).toEqual([]);
	});

	test('a call log: Y/N columns, a two-digit day-first date and the time in two columns', async () => {
		const rows = records('calls-split-date.csv');
		const yes = (cell: string): number => (cell === 'Y' ? 1 : 0);
		const cases = rows.map((row) => ({
			phase: phaseOf(+row.Date.slice(3, 5)),
			values: {
				answered: yes(row.Answered),
				resolved: yes(row.Resolved),
				speed: row['Speed of answer'] === '' ? null : +row['Speed of answer'],
				satisfaction: row.Satisfaction === '' ? null : +row.Satisfaction
			}
		}));

		await chooseFile('call-centre', 'calls-split-date.csv', 9);
		expect(await page.getByLabel('Timestamp column').inputValue()).toBe('Date');
		expect(
			await page
				.getByLabel('Time of day column (when the date and the time are in two columns)')
				.inputValue()
		).toBe('Time');
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('dmy');
		expect(await page.getByLabel('answered: source').inputValue()).toBe('boolean');
		expect(await page.getByLabel('resolved: source').inputValue()).toBe('boolean');
		expect(await page.getByLabel('satisfaction: source').inputValue()).toBe('number');
		expect(await page.getByTestId('event-log-note').count()).toBe(0);
		await page.getByLabel('speed_of_answer_seconds: source').selectOption('number');
		await page.getByLabel('speed_of_answer_seconds: column').selectOption('Speed of answer');

		const summary = await check();
		expect(summary).toBe(`${rows.length} rows: ${rows.length} new, 0 already stored, 0 rejected.`);
		// ID0001: 01-09-26 12:13:29 in Madrid (summer time) is 10:13:29 UTC, not midnight.
		expect(await page.getByTestId('import-sample').innerText()).toMatch(
			/ID0001\s+2026-09-01T10:13:29.000Z\s+baseline/
		);
		const result = await importValid();
		expect(counts(result)).toEqual(counts(summary));
		expectFigures(await impact('call-centre'), summarise(cases));
		expect(pageErrors).toEqual([]);
	});

	test('missing-value markers, and a bad cell that drops its measure instead of the row', async () => {
		const rows = records('tickets-markers.csv');
		const markers = new Set(['NA', '-', 'n/a']);
		const minutes = (from: string, to: string): number | null =>
			markers.has(to) ? null : wallMinutes(to) - wallMinutes(from);
		const cases = rows.map((row) => {
			const reply = minutes(row.created, row.first_reply);
			const solved = minutes(row.created, row.solved);
			return {
				phase: phaseOf(+row.created.slice(5, 7)),
				values: {
					// A reply before the ticket was opened cannot be read: the measure is dropped.
					first_response: reply === null || reply < 0 ? null : reply,
					resolution: solved === null ? null : solved / 60,
					csat: /^\d+$/.test(row.csat) ? +row.csat : null
				}
			};
		});

		await chooseFile('ticket-markers', 'tickets-markers.csv', 5);
		for (const marker of markers)
			expect(
				await page.getByLabel(`Missing-value marker ${marker}`, { exact: true }).isChecked()
			).toBe(true);
		expect(await page.getByLabel('Missing-value marker ?', { exact: true }).isChecked()).toBe(
			false
		);
		await page.getByLabel('first_response_minutes: source').selectOption('duration');
		await page.getByLabel('first_response_minutes: from').selectOption('created');
		await page.getByLabel('first_response_minutes: to').selectOption('first_reply');
		await page.getByLabel('resolution_hours: source').selectOption('duration');
		await page.getByLabel('resolution_hours: from').selectOption('created');
		await page.getByLabel('resolution_hours: to').selectOption('solved');
		await page.getByLabel('resolution_hours: unit').selectOption('hours');

		// By default a bad cell rejects its row: T-104 (reply before creation), T-106 ("great").
		expect(await check()).toBe(
			`${rows.length} rows: ${rows.length - 2} new, 0 already stored, 2 rejected.`
		);
		const rejected = await page.getByTestId('import-rejected').innerText();
		expect(rejected).toContain('first_reply is before created');
		expect(rejected).toContain('csat: "great" is not a number');

		await page.getByLabel('A cell that cannot be read').selectOption('measure');
		const summary = await check();
		expect(summary).toBe(`${rows.length} rows: ${rows.length} new, 0 already stored, 0 rejected.`);
		const dropped = await page.getByTestId('import-dropped').innerText();
		expect(dropped).toMatch(/first_response_minutes\s+1\s+first_reply is before created/);
		expect(dropped).toMatch(/csat\s+1\s+csat: "great" is not a number/);

		const result = await importValid();
		expect(counts(result)).toEqual(counts(summary));
		expectFigures(await impact('ticket-markers'), summarise(cases));
		expect(pageErrors).toEqual([]);
	});

	test('a saved profile with another date order: the file’s own dates win, and it is said', async () => {
		// A profile saved from an export with year-first dates…
		await page.goto(`${server.url}/pilots/call-centre/data`);
		await page.getByText('or paste the CSV text').click();
		await page
			.getByLabel('CSV text')
			.fill(
				'Call Id,Agent,Date,Time,Topic,Answered,Resolved,Speed of answer,Satisfaction\n' +
					'X-1,Jim,2026-09-02,10:00:00,Admin Support,Y,Y,10,5\n'
			);
		await page.getByRole('button', { name: 'Use the pasted text' }).click();
		await expect.poll(() => page.getByTestId('file-shape').innerText()).toContain('9 columns');
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('ymd');
		await page.getByLabel('speed_of_answer_seconds: source').selectOption('number');
		await page.getByLabel('speed_of_answer_seconds: column').selectOption('Speed of answer');
		await page.getByLabel('Profile name').fill('Call log');
		await page.getByRole('button', { name: 'Save as profile' }).click();
		await expect.poll(() => page.getByText('Profile “Call log” saved.').count()).toBe(1);

		// …applied to the day-first file: detection wins before anything is checked.
		await chooseFile('call-centre', 'calls-split-date.csv', 9);
		await expect.poll(() => page.getByText('Profile “Call log” applied.').count()).toBe(1);
		expect(await page.getByRole('status').filter({ hasText: 'Call log' }).innerText()).toContain(
			"Its dates are written year-month-day, this file's day/month/year: the file's order is used."
		);
		expect(await page.getByLabel('Dates written as').inputValue()).toBe('dmy');
		const rows = records('calls-split-date.csv').length;
		expect(await check()).toBe(`${rows} rows: 0 new, ${rows} already stored, 0 rejected.`);
		expect(pageErrors).toEqual([]);
	});
});
