import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactPath, launchBrowser, signInPage } from '../support/browser';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { fixtureDayStats, fixturePlan, fixtureReport } from '../support/report-fixture';
import { levelOf, seriesPoints } from '../../src/lib/charts/series-points';
import type { TimeSeriesInput } from '../../src/lib/charts/time-series';
import { mergeAll } from '../../src/lib/metrics';
import type { HarnessData } from './harness/harness-data';

// The chart components mounted on their own (no route, no database): a test-only page is
// bundled with Vite, served from a temp folder and opened in Chromium, so Chart.js really
// draws, "Show data" really opens, and a new report updates the charts in place.

const out = tempDir('pilot-impact-charts-');
let server: Server;
let url: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function harnessData(): Promise<HarnessData> {
	const plan = await fixturePlan();
	const rows = await fixtureDayStats('handling_time');
	const baseline = levelOf(
		mergeAll(rows.flatMap((r) => (r.phase === 'baseline' && r.stats ? [r.stats] : []))),
		'mean'
	);
	const report = await fixtureReport();
	const thin = await fixtureReport(undefined, { settings: { minSamples: 30 } });
	const noHourlyCost = await fixtureReport((p) => ({
		...p,
		economics: { ...p.economics, hourlyCost: undefined }
	}));
	const series = (granularity: 'day' | 'week'): TimeSeriesInput => ({
		metric: report.metrics[0],
		timeZone: plan.timezone!,
		windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
		granularity,
		points: seriesPoints(rows, 'mean', granularity),
		baseline: { ...baseline, source: 'events' }
	});
	return {
		reports: [report, thin],
		series: [series('week'), series('day')],
		benefit: [
			{ economics: report.economics, plan: plan.economics, startDay: '2026-11-01' },
			{ economics: noHourlyCost.economics, plan: plan.economics }
		]
	};
}

const TYPES: Record<string, string> = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json'
};

beforeAll(async () => {
	await build({
		root: resolve('tests/e2e/harness'),
		configFile: false,
		logLevel: 'warn',
		plugins: [svelte()],
		resolve: { alias: { $lib: resolve('src/lib') } },
		build: { outDir: out.path, emptyOutDir: true, target: 'es2022' }
	});
	await writeFile(join(out.path, 'data.json'), JSON.stringify(await harnessData()));
	server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		const file = join(out.path, path === '/' ? 'index.html' : path);
		readFile(file).then(
			(body) => {
				res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/plain' });
				res.end(body);
			},
			() => {
				res.writeHead(404);
				res.end();
			}
		);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => pageErrors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') pageErrors.push(message.text());
	});
});

afterAll(async () => {
	await browser?.close();
	await new Promise((done) => server?.close(done));
	out.remove();
});

/** Canvases Chart.js has sized: an unsized canvas was never handed to a chart. */
function sizedCanvases(): Promise<number> {
	return page.evaluate(
		() => [...document.querySelectorAll('canvas')].filter((c) => c.width > 0).length
	);
}

/** Painted (non-transparent) pixels per canvas: an empty canvas means Chart.js failed. */
function paintedPixels(): Promise<number[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('canvas')].map((canvas) => {
			const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
			let painted = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
			return painted;
		})
	);
}

describe('chart components in a browser', () => {
	test('Chart.js draws every chart, without errors', async () => {
		await page.goto(url);
		await page.locator('[data-chart="net-benefit"] canvas').waitFor();
		await page.waitForFunction(() =>
			[...document.querySelectorAll('canvas')].every((c) => c.width > 0)
		);
		expect(await sizedCanvases()).toBe(3);
		for (const painted of await paintedPixels()) expect(painted).toBeGreaterThan(2000);
		await page.screenshot({ path: artifactPath('chart-components.png'), fullPage: true });
		expect(pageErrors).toEqual([]);
	});

	test('"Show data" reveals each chart’s table', async () => {
		const effect = page.locator('[data-chart="effect-plot"]');
		const table = effect.getByRole('table');
		expect(await table.isVisible()).toBe(false);
		await effect.getByText('Show data').click();
		expect(await table.isVisible()).toBe(true);
		expect(await table.getByRole('rowheader').allInnerTexts()).toEqual([
			'Handling time',
			'Error rate',
			'cost_per_resolved',
			'first_response_p90'
		]);
		const benefit = page.locator('[data-chart="net-benefit"]');
		await benefit.getByText('Show data').click();
		expect(await benefit.getByRole('row').count()).toBe(14);
	});

	test('a new report updates the charts in place and removes what no longer applies', async () => {
		const marked = await page.evaluate(() => {
			const canvas = document.querySelector<HTMLCanvasElement>(
				'[data-chart="effect-plot"] canvas'
			)!;
			canvas.dataset.mark = 'first';
			return canvas.dataset.mark;
		});
		expect(marked).toBe('first');
		await page.getByRole('button', { name: 'Next report' }).click();
		await page.getByText('Insufficient data: 12 of 30 cases in the baseline').first().waitFor();
		// The benefit chart gave way to the list of what is missing; the others were updated.
		await page.getByText('The benefit cannot be put in money yet:').waitFor();
		expect(await page.locator('canvas').count()).toBe(2);
		expect(await page.locator('[data-chart="effect-plot"] canvas').getAttribute('data-mark')).toBe(
			'first'
		);
		expect(await page.locator('[data-chart="series-handling_time"]').innerText()).toContain(
			'Daily values'
		);
		for (const painted of await paintedPixels()) expect(painted).toBeGreaterThan(2000);
		await page.screenshot({ path: artifactPath('chart-components-thin.png'), fullPage: true });
		expect(pageErrors).toEqual([]);
	});
});

describe('the effect plot of a demo pilot whose guardrail has a small baseline', () => {
	// Contract clause review: review time −30.6% (CI −35.4% to −25.9%), and contracts with a
	// missed clause 2.26% → 10.9%, +382% (CI −77% to +841%). On one axis stretched to the
	// guardrail, the primary's interval was about 6 px wide: a dot.
	const demoDir = tempDir();
	let demo: RunningServer;
	let demoPage: Page;

	beforeAll(async () => {
		demo = await startServer({ databasePath: join(demoDir.path, 'demo.db') });
		demoPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signInPage(demoPage, demo.url, 'admin@demo.pilot-impact.test', 'demo-admin-pass');
	});
	afterAll(async () => {
		await demoPage?.close();
		await demo?.stop();
		demoDir.remove();
	});

	/** The widest run of the improved-tone interval bar, in canvas pixels, above the legend. */
	const primaryBarWidth = (): Promise<number> =>
		demoPage.locator('[data-chart="effect-plot"] canvas').evaluate((canvas: HTMLCanvasElement) => {
			const { data, width, height } = canvas
				.getContext('2d')!
				.getImageData(0, 0, canvas.width, canvas.height);
			// PALETTE.good (#1d7a4d), filled translucent; the axis, its title and the legend (whose
			// swatch has the same tone) take the bottom 100 px.
			const good = (i: number) =>
				data[i + 3] >= 60 &&
				Math.abs(data[i] - 0x1d) < 40 &&
				Math.abs(data[i + 1] - 0x7a) < 40 &&
				Math.abs(data[i + 2] - 0x4d) < 40;
			let widest = 0;
			for (let y = 0; y < height - 100; y++) {
				let run = 0;
				for (let x = 0; x < width; x++) {
					run = good((y * width + x) * 4) ? run + 1 : 0;
					widest = Math.max(widest, run);
				}
			}
			return widest / devicePixelRatio;
		});

	test('the primary metric stays readable and the guardrail is cut at the edge, marked', async () => {
		await demoPage.goto(`${demo.url}/pilots/contract-clause-review`);
		const plot = demoPage.locator('[data-chart="effect-plot"]');
		const canvas = plot.locator('canvas');
		await canvas.waitFor();
		await demoPage.waitForFunction(
			() =>
				document.querySelector<HTMLCanvasElement>('[data-chart="effect-plot"] canvas')!.width > 0
		);
		await expect.poll(primaryBarWidth).toBeGreaterThanOrEqual(18);
		expect(await plot.getByRole('img').getAttribute('aria-label')).toMatch(
			/Contracts with a missed clause \(lower is better\): -381\.8% improvement \(95% CI -840\.7% to 77\.1%\), cut at the edge of the axis/
		);
		expect(await plot.innerText()).toContain('cut at the edge, marked with an arrow');
		await plot.getByText('Show data').click();
		const guardrail = plot.getByRole('row', { name: /Contracts with a missed clause/ });
		expect(await guardrail.innerText()).toContain('+382%');
		await plot.screenshot({ path: artifactPath('effect-plot-small-baseline.png') });
	});
});
