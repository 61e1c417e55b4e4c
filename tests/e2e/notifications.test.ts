import type { Browser, Page } from 'playwright-core';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';

// An admin registers a webhook on the webhooks page (its secret shown once), sends a test that
// a real receiver on this machine gets and the delivery log shows, sees a new alert in the
// notification list with the unread badge, marks it read, and leaves an alert type out.

const key = 'pi_e2e-notifications-admin-key-0123456789';
const slug = 'e2e-alerts';
const dir = tempDir();
const plan = JSON.parse(readFileSync('tests/fixtures/cli/plan.json', 'utf8'));
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver: Server = createServer((request, response) => {
	const chunks: Buffer[] = [];
	request.on('data', (c: Buffer) => chunks.push(c));
	request.on('end', () => {
		received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
		response.writeHead(204).end();
	});
});
let hookUrl = '';

const ofType = (type: string): { headers: IncomingHttpHeaders; body: string }[] =>
	received.filter((r) => (JSON.parse(r.body) as { type: string }).type === type);

/** The README's verification recipe, as a receiver writes it. */
function verify(secret: string, body: string, header: string): boolean {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
	const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
	const given = Buffer.from(parts.v1 ?? '', 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

function api(path: string, body?: unknown): Promise<Response> {
	return fetch(`${server.url}/api/v1${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

/** The header's link to the notifications, whose name carries the unread count. */
const unreadLink = (): ReturnType<Page['getByRole']> =>
	page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: /^Notifications\s*\d+\s*unread$/ });

beforeAll(async () => {
	await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
	hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
	server = await startServer({
		databasePath: join(dir.path, 'notifications.db'),
		env: {
			INIT_API_KEY: key,
			ALERTS_POLL_MS: '100',
			WEBHOOK_RETRY_BASE_MS: '150',
			WEBHOOK_RETRY_MAX_MS: '500'
		}
	});
	const created = await api('/pilots', { ...plan, slug, name: 'E2E alerts' });
	expect(created.status, await created.clone().text()).toBe(201);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await signInPage(page, server.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	receiver.closeAllConnections();
	await new Promise<void>((done) => receiver.close(() => done()));
	dir.remove();
});

describe('notifications and webhook settings in the browser', () => {
	test('register a webhook, send a test, see and read a new alert, leave an alert type out', async () => {
		// Start from a list read to the end: the demo's own alerts.
		await page.goto(`${server.url}/notifications`);
		const markRead = page.getByRole('button', { name: /^Mark all \d+ as read$/ });
		if ((await markRead.count()) > 0) {
			await markRead.click();
			await page.waitForLoadState('networkidle');
		}
		await page.goto(`${server.url}/`);
		expect(await unreadLink().count()).toBe(0);

		// Register: the secret is shown once.
		await page.goto(`${server.url}/webhooks`);
		await page.getByLabel(/^URL/).fill(hookUrl);
		await page.getByLabel('Pilot').selectOption({ label: 'E2E alerts' });
		expect(await page.getByRole('checkbox', { name: 'guardrail.breached' }).isChecked()).toBe(true);
		await page.getByLabel('Format').selectOption({ label: 'JSON (signed)' });
		await page.getByRole('button', { name: 'Register webhook' }).click();
		const notice = page.getByRole('status').filter({ hasText: 'signing secret' });
		await expect.poll(() => notice.count()).toBe(1);
		const secret = (await notice.locator('code').innerText()).trim();
		expect(secret).toMatch(/^whsec_/);
		await page.screenshot({ path: artifactPath('webhook-registered.png'), fullPage: true });

		await page.goto(`${server.url}/webhooks`);
		expect(await page.content()).not.toContain(secret);
		expect(await page.getByRole('status').filter({ hasText: 'signing secret' }).count()).toBe(0);
		const hook = page.locator('section').filter({
			has: page.getByRole('heading', { name: hookUrl })
		});
		expect(await hook.count()).toBe(1);

		// Send a test: the receiver gets it signed, and the log shows it delivered.
		await hook.getByRole('button', { name: 'Send test' }).click();
		await expect
			.poll(() =>
				page
					.getByRole('status')
					.filter({ hasText: /^Test delivery dlv_/ })
					.count()
			)
			.toBe(1);
		await expect.poll(() => ofType('webhook.test').length, { timeout: 15_000 }).toBe(1);
		const [test] = ofType('webhook.test');
		expect(verify(secret, test.body, String(test.headers['pilot-impact-signature']))).toBe(true);
		await expect
			.poll(
				async () => {
					await page.goto(`${server.url}/webhooks`);
					const row = page
						.locator('section')
						.filter({ has: page.getByRole('heading', { name: hookUrl }) })
						.getByRole('table', { name: 'Latest deliveries' })
						.getByRole('row')
						.filter({ hasText: 'webhook.test' });
					return (await row.count()) === 1 ? await row.innerText() : '';
				},
				{ timeout: 15_000 }
			)
			.toMatch(/delivered/);

		// A guardrail breaches: the alert is listed, new, and the header counts it.
		const events = [];
		for (let i = 0; i < 40; i++) {
			const day = String(2 + (i % 20)).padStart(2, '0');
			events.push({
				id: `b-${i}`,
				occurredAt: `2026-09-${day}T09:00:00+02:00`,
				measures: { handling_minutes: 14 + (i % 5), error: i % 10 === 0 ? 1 : 0 }
			});
			events.push({
				id: `p-${i}`,
				occurredAt: `2026-10-${day}T09:00:00+02:00`,
				measures: { handling_minutes: 9 + (i % 5), error: 1 }
			});
		}
		expect((await api(`/pilots/${slug}/events`, { events })).status).toBe(200);
		await expect
			.poll(
				async () => {
					await page.goto(`${server.url}/notifications`);
					return unreadLink().count();
				},
				{ timeout: 15_000 }
			)
			.toBe(1);
		const alert = page
			.getByRole('listitem')
			.filter({ hasText: 'Guardrail “Error rate” breached' })
			.filter({ has: page.getByRole('link', { name: 'E2E alerts' }) });
		expect(await alert.count()).toBe(1);
		expect(await alert.getByText('new', { exact: true }).count()).toBe(1);
		await page.screenshot({ path: artifactPath('notifications-unread.png'), fullPage: true });
		// The webhook asked for every alert type: the receiver gets the breach too.
		await expect.poll(() => ofType('guardrail.breached').length, { timeout: 15_000 }).toBe(1);

		// Marked read: the badge and the "new" marks go.
		await page.getByRole('button', { name: /^Mark all \d+ as read$/ }).click();
		await expect.poll(() => unreadLink().count()).toBe(0);
		expect(await alert.getByText('new', { exact: true }).count()).toBe(0);
		expect(await alert.count()).toBe(1);

		// Per-user settings: the breaches left out of the list, and kept so.
		await page.getByText('Which alerts to list').click();
		const breached = page.getByRole('checkbox', { name: 'guardrail.breached' });
		expect(await breached.isChecked()).toBe(true);
		await breached.uncheck();
		await page.getByTestId('notification-settings').getByRole('button', { name: 'Save' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
		await page.goto(`${server.url}/notifications`);
		expect(await alert.count()).toBe(0);
		expect(await page.getByRole('listitem').filter({ hasText: 'breached' }).count()).toBe(0);
		await page.getByText('Which alerts to list').click();
		expect(await page.getByRole('checkbox', { name: 'guardrail.breached' }).isChecked()).toBe(
			false
		);
		expect(await page.getByRole('checkbox', { name: 'data.silent' }).isChecked()).toBe(true);
		await page.screenshot({ path: artifactPath('notification-settings.png'), fullPage: true });
		expect(pageErrors).toEqual([]);
	});
});
