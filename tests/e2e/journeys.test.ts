import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from '../support/axe';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// One journey per role, in a real browser against the built app: the owner takes a pilot from
// nothing to a recorded decision, leadership reads it in the portfolio, a member cannot touch
// the plan. Screenshots land in test-results/screenshots.

const dir = tempDir();
const apiKey = 'pi_journeys_admin_key_for_tests_only_0123456789abcdef';
const slug = 'invoice-approval-routing';
let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'journeys.db'),
		env: { INIT_API_KEY: apiKey }
	});
	browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	dir.remove();
});

async function signedIn(role: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
	await signInPage(page, server.url, `${role}@demo.pilot-impact.test`, `demo-${role}-pass`);
	return { context, page };
}

async function expectAccessible(page: Page, name: string): Promise<void> {
	const violations = await axeViolations(page);
	expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Pages of a PDF as Chromium writes it: one page object per sheet. */
function pdfPageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

/** Pilot-window events: handling time well below the 14-minute baseline, few errors. */
function pilotEvents(count: number): object[] {
	return Array.from({ length: count }, (_, i) => {
		const day = 1 + (i % 21);
		const hour = 8 + (i % 9);
		return {
			id: `inv-${i}`,
			occurredAt: `2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:15:00+02:00`,
			measures: { handling_minutes: 9 + ((i * 7) % 5), error: i % 30 === 0 ? 1 : 0 }
		};
	});
}

describe('journeys per role', () => {
	test('owner: defines a pilot and its plan, enters a baseline, feeds events, reads verdicts and charts, decides', async () => {
		const { context, page } = await signedIn('owner');
		try {
			// The charter, complete, so the pilot is ready to start.
			await page.goto(`${server.url}/pilots/new`);
			const charter: Record<string, string> = {
				Name: 'Invoice approval routing',
				'Process it improves': 'Route incoming supplier invoices to the right approver',
				'Business owner': 'Nuria Vidal, Accounts Payable',
				'ROI indicator': 'handling_time',
				'Concrete problem': 'Clerks look up the approver of every invoice by hand',
				'Technical owner': 'Pau Serra',
				'Real users': 'Accounts payable clerks',
				Data: 'ERP invoice records',
				Integration: 'A field in the ERP invoice view',
				Risk: 'A wrong approver delays payment by a day',
				Evaluation: 'Weekly review of 100 routed invoices',
				Adoption: 'Clerks confirm the suggested approver',
				'Data it may read': 'Invoice header and supplier',
				'Actions it may execute': 'Suggests an approver',
				'Human approval': 'Every routing is confirmed by a clerk',
				Logging: 'ERP change log',
				'Error reviewer': 'AP team lead',
				'Kill switch': 'Feature flag in the ERP'
			};
			for (const [label, value] of Object.entries(charter)) {
				// Required fields carry a mark after their name, so theirs is matched loosely.
				const required = label === 'Name' || label === 'Process it improves';
				await page.getByLabel(label, { exact: !required }).fill(value);
			}
			await page.getByLabel('Baseline: first day').fill('2026-09-01');
			await page.getByLabel('Baseline: last day').fill('2026-09-21');
			await page.getByLabel('Pilot: first day').fill('2026-10-01');
			await page.getByLabel('Pilot: last day').fill('2026-10-21');
			await page.getByRole('button', { name: 'Create pilot' }).click();
			await page.waitForURL(`**/pilots/${slug}`);

			// The measurement plan: a primary metric with its target, then a guardrail.
			await page.goto(`${server.url}/pilots/${slug}/plan`);
			const field = (name: string) => page.locator(`[name="${name}"]`);
			await field('metrics.0.key').fill('handling_time');
			await field('metrics.0.label').fill('Handling time');
			await field('metrics.0.unit').fill('min');
			await field('metrics.0.kind').selectOption('mean');
			await field('metrics.0.measure').fill('handling_minutes');
			await field('metrics.0.direction').selectOption('decrease');
			await field('metrics.0.role').selectOption('primary');
			await field('metrics.0.targetValue').fill('-20');
			await field('metrics.0.targetType').selectOption('relative');
			await field('metrics.0.staffTime').check();
			await field('economics.currency').fill('EUR');
			await field('economics.hourlyCost').fill('36');
			await field('economics.monthlyVolume').fill('3000');
			await field('economics.timeRecapture').fill('50');
			await field('economics.oneOff').fill('8000');
			await field('economics.monthly').fill('500');
			await field('economics.perCase').fill('0.01');
			// A second metric in the same save: "Add a metric" adds a row in the page; a row left
			// blank adds nothing.
			await page.getByRole('button', { name: 'Add a metric' }).click();
			await field('metrics.1.key').fill('wrong_approver');
			await field('metrics.1.label').fill('Wrong approver');
			await field('metrics.1.kind').selectOption('proportion');
			await field('metrics.1.measure').fill('error');
			await field('metrics.1.direction').selectOption('decrease');
			await field('metrics.1.role').selectOption('guardrail');
			await field('metrics.1.toleranceValue').fill('0.03');
			await field('metrics.1.toleranceType').selectOption('absolute');
			await page.getByRole('button', { name: 'Add a metric' }).click();
			await expect
				.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
				.toBe('metrics.2.key');
			await page.getByRole('button', { name: /Save/ }).first().click();
			await expect.poll(() => page.getByText('Plan saved.').count()).toBe(1);
			expect(await field('metrics.1.key').inputValue()).toBe('wrong_approver');
			expect(await field('metrics.2.key').inputValue()).toBe('');
			expect(await field('metrics.3.key').count()).toBe(0);

			// Before the start the page has no verdict to give, and says so.
			await page.goto(`${server.url}/pilots/${slug}`);
			expect(await page.getByTestId('recommendation').getAttribute('data-decision')).toBe(
				'pending'
			);
			const money = await page.getByTestId('economics').innerText();
			expect(money).not.toContain('does not pay back');

			// A baseline summary from last month's export, for each metric.
			await page.goto(`${server.url}/pilots/${slug}/baseline`);
			const summary = page.locator('form').filter({ has: page.locator('[value="handling_time"]') });
			await summary.locator('[name="n"]').fill('240');
			await summary.locator('[name="mean"]').fill('14');
			await summary.locator('[name="sd"]').fill('4');
			await summary.locator('[name="source"]').fill('ERP export, August');
			await summary.getByRole('button', { name: 'Save summary' }).click();
			await expect.poll(() => page.getByText('ERP export, August').count()).toBeGreaterThan(0);
			const errors = page.locator('form').filter({ has: page.locator('[value="wrong_approver"]') });
			await errors.locator('[name="n"]').fill('240');
			await errors.locator('[name="successes"]').fill('7');
			await errors.locator('[name="source"]').fill('ERP audit, August');
			await errors.getByRole('button', { name: 'Save summary' }).click();
			await expect.poll(() => page.getByText('ERP audit, August').count()).toBeGreaterThan(0);

			// Start the baseline, then the pilot: the plan locks.
			await page.goto(`${server.url}/pilots/${slug}`);
			await page.getByRole('button', { name: 'Start measuring the baseline' }).click();
			await page.waitForLoadState('load');
			await page.getByRole('button', { name: 'Start the pilot' }).click();
			await expect.poll(() => page.locator('h1').innerText()).toContain('Running');

			// Events arrive through the API, as a helpdesk automation would send them.
			const sent = await fetch(`${server.url}/api/v1/pilots/${slug}/events`, {
				method: 'POST',
				headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ events: pilotEvents(420) })
			});
			expect(sent.status).toBe(200);
			expect(await sent.json()).toEqual({ accepted: 420, duplicates: 0 });

			// Verdicts and charts.
			await page.goto(`${server.url}/pilots/${slug}`, { waitUntil: 'networkidle' });
			const card = page.locator('article, section, div').filter({
				has: page.getByRole('heading', { name: 'Handling time', exact: true })
			});
			expect(await card.first().innerText()).toContain('Improved');
			expect(await page.getByText('Summary', { exact: false }).count()).toBeGreaterThan(0);
			const series = page.locator('[data-chart="series-handling_time"]');
			expect(await series.locator('canvas').count()).toBe(1);
			await expect
				.poll(() => series.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width))
				.toBeGreaterThan(0);
			await series.getByText('Show data').click();
			const seriesRows = series.locator('table tbody tr');
			expect(await seriesRows.count()).toBeGreaterThan(0);
			expect(await seriesRows.first().innerText()).toMatch(/\d{4}/);
			const benefit = page.locator('[data-chart="net-benefit"]');
			expect(await benefit.locator('canvas').count()).toBe(1);
			expect(await benefit.innerText()).toContain('payback');
			expect(await page.locator('main').innerText()).not.toMatch(/NaN|undefined/);
			await expectAccessible(page, 'pilot page');
			await page.screenshot({ path: artifactPath('journey-pilot-page.png'), fullPage: true });

			// The decision, against the recommendation: a thin rationale is refused beside its field.
			const recommended = await page.getByTestId('recommendation').getAttribute('data-decision');
			const decision = recommended === 'discard' ? 'scale' : 'discard';
			await page.getByLabel('Decision').selectOption(decision);
			expect(await page.locator('#override-note').innerText()).toContain('Override');
			await page.getByLabel('Rationale').fill('We do not trust these numbers.');
			await page.getByRole('button', { name: 'Record the decision' }).click();
			await expect
				.poll(() => page.getByLabel('Rationale').getAttribute('aria-invalid'))
				.toBe('true');
			expect(await page.getByText('This decision overrides the analysis').count()).toBe(1);
			await page
				.getByLabel('Rationale')
				.fill(
					'Month-end closing hides the real routing load; we stop now and revisit after the ERP upgrade in spring.'
				);
			await page.getByRole('button', { name: 'Record the decision' }).click();
			await expect.poll(() => page.getByTestId('decision-log').count()).toBe(1);
			expect(await page.getByTestId('decision-log').innerText()).toContain('Override');
			const cards = await page.getByTestId('metric-card').count();
			expect(await page.getByTestId('metric-table').isVisible()).toBe(false);
			await page.emulateMedia({ media: 'print' });
			await page.screenshot({ path: artifactPath('journey-pilot-print.png'), fullPage: true });
			expect(await page.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
			// On paper the metric cards become one compact table, a row per card.
			expect(await page.getByTestId('metric-table').isVisible()).toBe(true);
			expect(await page.getByTestId('metric-card').first().isVisible()).toBe(false);
			expect(await page.getByTestId('metric-table').locator('tbody tr').count()).toBe(cards);
			await page.emulateMedia({ media: 'screen' });
		} finally {
			await context.close();
		}
	}, 240_000);

	test('the printed pilot report is one A4 page, with five metrics and a decision', async () => {
		const { context, page } = await signedIn('leadership');
		try {
			// The journey's pilot, decided above, and the demo pilot with five metrics.
			for (const printed of [slug, 'email-triage-assistant']) {
				await page.goto(`${server.url}/pilots/${printed}`, { waitUntil: 'networkidle' });
				await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(1);
				// page.pdf prints as the browser's print does: beforeprint, then print media.
				const pdf = await page.pdf({ format: 'A4' });
				writeFileSync(artifactPath(`report-${printed}.pdf`), pdf);
				expect(pdfPageCount(pdf), `${printed}: pages of the printed report`).toBe(1);
			}
			// Four impact metrics in the table; the fifth, an adoption measure, is in the effect plot.
			expect(await page.getByTestId('metric-table').locator('tbody tr').count()).toBe(4);
		} finally {
			await context.close();
		}
	}, 120_000);

	test('leadership: sees the portfolio and the decision, with the override marked', async () => {
		const { context, page } = await signedIn('leadership');
		try {
			await page.goto(server.url, { waitUntil: 'networkidle' });
			const row = page.locator(`tr[data-slug="${slug}"]`);
			expect(await row.getByTestId('owner').innerText()).toBe('Nuria Vidal, Accounts Payable');
			expect(await row.getByTestId('primary').innerText()).toMatch(/Improved[\s\S]*95% CI/);
			expect(await row.getByTestId('interval-bar').count()).toBe(1);
			expect(await row.getByTestId('override').innerText()).toMatch(/^Override of /);
			expect(await page.getByTestId('totals').innerText()).toContain('discarded');
			await expectAccessible(page, 'portfolio');
			await page.screenshot({ path: artifactPath('journey-portfolio.png'), fullPage: true });

			// Filters by stage and owner together, then a sort.
			await page.getByLabel('Stage').selectOption('decided');
			await page.waitForURL(/stage=decided/);
			await page.getByLabel('Owner').selectOption('Nuria Vidal, Accounts Payable');
			await page.waitForURL(/owner=Nuria/);
			expect(await page.locator('tbody tr').count()).toBe(1);
			await page.getByRole('link', { name: 'Show all pilots' }).click();
			await page.waitForURL((url) => url.search === '');
			await page.getByLabel('Sort by').selectOption('annual');
			await page.waitForURL(/sort=annual/);
			expect(await page.locator('tbody tr').count()).toBeGreaterThan(1);

			// The frozen report of the decision, as it was.
			await page.goto(server.url);
			await row.getByTestId('last-decision').getByRole('link').click();
			await page.waitForURL(new RegExp(`/pilots/${slug}/decisions/\\d+$`));
			expect(await page.getByTestId('override').count()).toBe(1);
			expect(await page.getByRole('note').innerText()).toContain('frozen');
			expect(await page.getByTestId('recommendation').count()).toBe(1);
			await expectAccessible(page, 'decision snapshot');
			await page.goto(`${server.url}/pilots/${slug}/decisions`);
			expect(await page.getByTestId('decision-log').innerText()).toContain('Override: recommended');
			await expectAccessible(page, 'decision log');
		} finally {
			await context.close();
		}
	}, 120_000);

	test('member: reads the pilot but cannot edit its plan', async () => {
		const { context, page } = await signedIn('member');
		try {
			await page.goto(server.url, { waitUntil: 'networkidle' });
			const first = page.locator('table a.name').first();
			await expect.poll(() => first.getAttribute('href')).toMatch(/^\/pilots\//);
			const href = (await first.getAttribute('href'))!;
			await page.goto(`${server.url}${href}`, { waitUntil: 'networkidle' });
			expect(await page.getByRole('link', { name: 'Edit charter and governance' }).count()).toBe(0);
			await expectAccessible(page, 'pilot page as a member');
			await page.goto(`${server.url}${href}/plan`);
			expect(await page.locator('form[action="?/save"] fieldset[disabled]').count()).toBe(1);
			expect(await page.locator('[name="metrics.0.key"]').isEditable()).toBe(false);
			// Even a hand-made post is refused.
			const refused = await page.evaluate(async (url) => {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
					body: 'metrics.0.key=x'
				});
				return response.status;
			}, `${server.url}${href}/plan?/save`);
			expect(refused).toBe(403);
		} finally {
			await context.close();
		}
	}, 120_000);

	test('no script error happened on any page', () => {
		expect(pageErrors).toEqual([]);
	});
});
