// Page benchmarks: server time of the portfolio (`/`) and a pilot's impact page with many
// pilots and events, and the gzipped JavaScript the pilot page makes a browser load.
//
//   npm run build && node --import tsx bench/pages.ts [--pilots 20] [--events 1000000]
//
// or from another script: `const markdown = await pagesBenchmark({ pilots, events })`.
// Events go in through the HTTP API, as in production, so the rollups are the real ones.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { PlanInput } from '../src/lib/schemas/plan.ts';
import { benchPlan, random, startServer } from './support.ts';

const key = 'pi_bench-pages-admin-key-0123456789abcdefghij';
const admin = { email: 'bench@pages.pilot-impact.test', password: 'bench pages passphrase' };

const planFor = (index: number): PlanInput =>
	benchPlan({
		slug: `pilot-${String(index + 1).padStart(2, '0')}`,
		name: `Benchmark pilot ${index + 1}`
	});

/** Batches of events of one pilot over both windows; the pilot phase is faster. */
function* batchesFor(
	plan: PlanInput,
	count: number,
	batch: number,
	seed: number
): Generator<string> {
	const uniform = random(seed);
	const start = Date.parse(plan.baselineWindow.start);
	const pilotStart = Date.parse(plan.pilotWindow.start);
	const span = Date.parse(plan.pilotWindow.end) - start;
	for (let from = 0; from < count; from += batch) {
		const events = [];
		for (let n = from; n < Math.min(count, from + batch); n++) {
			const t = start + Math.floor(((n + uniform()) / count) * span);
			const faster = t >= pilotStart ? 0.75 : 1;
			events.push({
				id: `case-${String(n).padStart(8, '0')}`,
				occurredAt: new Date(t).toISOString(),
				measures: {
					handling_minutes: Math.round((8 + 10 * uniform()) * faster * 100) / 100,
					first_response_minutes: Math.round(60 * uniform() * faster),
					error: uniform() < 0.05 ? 1 : 0,
					cost_eur: Math.round(300 * uniform()) / 100,
					resolved: uniform() < 0.9 ? 1 : 0,
					csat: 1 + Math.floor(5 * uniform())
				}
			});
		}
		yield JSON.stringify({ events });
	}
}

async function api(url: string, path: string, body: string): Promise<Response> {
	const response = await fetch(`${url}/api/v1${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return response;
}

async function signIn(url: string): Promise<string> {
	const response = await fetch(`${url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: url,
			accept: 'text/html'
		},
		body: new URLSearchParams(admin)
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pi_session='));
	if (!cookie) throw new Error(`Sign-in refused: ${response.status}`);
	return cookie.split(';')[0];
}

/** Median and 90th percentile of a page's response time, body read, after a warm-up. */
async function pageTime(
	url: string,
	path: string,
	cookie: string,
	runs = 21,
	warmup = 3
): Promise<{ first: number; median: number; p90: number }> {
	const times = [];
	let first = 0;
	for (let i = 0; i < warmup + runs; i++) {
		const t0 = performance.now();
		const response = await fetch(`${url}${path}`, { headers: { cookie } });
		const html = await response.text();
		if (response.status !== 200 || html.includes('NaN')) {
			throw new Error(`${path} answered ${response.status}`);
		}
		if (i === 0) first = performance.now() - t0;
		if (i >= warmup) times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	return { first, median: times[Math.floor(runs / 2)], p90: times[Math.floor(runs * 0.9)] };
}

/** Every script the pilot page makes Chromium load until its charts are drawn, gzipped. */
async function clientJs(
	url: string,
	path: string,
	cookie: string
): Promise<{ files: number; raw: number; gzip: number; chart: number }> {
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
	});
	try {
		const context = await browser.newContext();
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url }]);
		const page = await context.newPage();
		const scripts = new Map();
		page.on('response', async (response) => {
			if (response.request().resourceType() !== 'script') return;
			try {
				scripts.set(response.url(), await response.body());
			} catch {
				// a redirect has no body
			}
		});
		await page.goto(`${url}${path}`, { waitUntil: 'networkidle' });
		await page.waitForFunction(() =>
			[...document.querySelectorAll('canvas')].every((c) => c.width > 0)
		);
		let raw = 0;
		let gzip = 0;
		let chart = 0;
		for (const [src, body] of scripts) {
			raw += body.length;
			const zipped = gzipSync(body, { level: 9 }).length;
			gzip += zipped;
			if (body.includes('datasetElementType')) chart += zipped;
			void src;
		}
		return { files: scripts.size, raw, gzip, chart };
	} finally {
		await browser.close();
	}
}

export async function pagesBenchmark({ pilots = 20, events = 1_000_000 } = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-pages-'));
	// PAGES_BENCH_DB keeps the loaded database (e.g. to profile against it); it is reused if present.
	const keep = process.env.PAGES_BENCH_DB;
	const reuse = keep !== undefined && existsSync(keep);
	const server = await startServer(keep ?? join(dir, 'pages.db'), {
		INIT_API_KEY: key,
		INIT_ADMIN_EMAIL: admin.email,
		INIT_ADMIN_PASSWORD: admin.password
	});
	try {
		const plans = Array.from({ length: pilots }, (_, i) => planFor(i));
		const perPilot = Math.ceil(events / pilots);
		const loadStart = performance.now();
		for (const [i, plan] of (reuse ? [] : plans).entries()) {
			await api(server.url, '/pilots', JSON.stringify(plan));
			// Four requests in flight: the server is busy, the client is not the bottleneck.
			const inFlight = new Set<Promise<unknown>>();
			for (const body of batchesFor(plan, perPilot, 10_000, 42 + i)) {
				const request: Promise<unknown> = api(server.url, `/pilots/${plan.slug}/events`, body).then(
					() => inFlight.delete(request)
				);
				inFlight.add(request);
				if (inFlight.size >= 4) await Promise.race(inFlight);
			}
			await Promise.all(inFlight);
		}
		const loadSeconds = (performance.now() - loadStart) / 1000;
		const cookie = await signIn(server.url);
		const portfolio = await pageTime(server.url, '/', cookie);
		const pilotPath = `/pilots/${plans[0].slug}`;
		const pilotPage = await pageTime(server.url, pilotPath, cookie);
		const js = await clientJs(server.url, pilotPath, cookie);
		const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
		const ms = (x: number): string => x.toFixed(1);
		const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
		return `## Pages with ${pilots} pilots and ${(perPilot * pilots).toLocaleString('en')} events

Generated by \`node --import tsx bench/pages.ts\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, Node.js ${process.version}), against the built server (\`node build\`) on a temporary database. ${pilots} pilots with five metrics each (mean, proportion, ratio, p90 quantile, mean) and ${perPilot.toLocaleString('en')} events each over a 3-month baseline and a 3-month pilot, sent through the HTTP API (${loadSeconds.toFixed(0)} s to load). Times are from request to the last byte of the HTML on the same machine, signed in as an admin (every pilot visible), median and 90th percentile of 21 after 3 warm-up requests.

| page | median | p90 | first request | goal (median) |
| --- | --- | --- | --- | --- |
| \`/\` portfolio (${pilots} impact reports) | ${ms(portfolio.median)} ms | ${ms(portfolio.p90)} ms | ${ms(portfolio.first)} ms | ≤ 100 ms: ${verdict(portfolio.median <= 100)} |
| \`${pilotPath}\` impact page (report, 5 time series, benefit) | ${ms(pilotPage.median)} ms | ${ms(pilotPage.p90)} ms | ${ms(pilotPage.first)} ms | ≤ 100 ms: ${verdict(pilotPage.median <= 100)} |

The first request of each page after the server starts also pays for loading code and, on the pilot page, for reading the p90 metric's values with their days (one table read per value, ${perPilot.toLocaleString('en')} here; kept afterwards until the metric's per-day counts change).

JavaScript the pilot page makes Chromium load until every chart is drawn: ${js.files} files, ${kb(js.raw)} KB, **${kb(js.gzip)} KB gzipped** (goal ≤ 150 KB: ${verdict(js.gzip / 1024 <= 150)}, ${kb(150 * 1024 - js.gzip)} KB to spare), of which the Chart.js chunk is ${kb(js.chart)} KB gzipped.
`;
	} finally {
		server.child.kill();
		rmSync(dir, { recursive: true, force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const option = (name: string, fallback: number): number => {
		const at = args.indexOf(name);
		return at >= 0 ? Number(args[at + 1]) : fallback;
	};
	console.log(
		await pagesBenchmark({ pilots: option('--pilots', 20), events: option('--events', 1_000_000) })
	);
}
