// Part of `npm run bench`, or alone: `npm run build && node --import tsx bench/quantiles.ts
// [--max 1000000]`. Quantile metrics (p50 and p90) beside mean, proportion and ratio metrics:
// the impact report right after each new batch of 1,000 events as the stored events grow, the
// portfolio of 20 such pilots, and the server's peak memory.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { valuesAtRanks } from '../src/lib/server/stats/quantile-buckets.ts';
import { RANGE_SIZE } from '../src/lib/server/stats/quantile-ranges.ts';
import { benchReportAfterBatch } from './report-after-batch.ts';
import { batch, quantilePlan, type Spread } from './quantile-pilot.ts';
import type { ImpactReport } from '../src/lib/metrics/index.ts';
import type { PlanInput } from '../src/lib/schemas/plan.ts';
import { cpuMs, fmt, median, peakRss, random, startServer } from './support.ts';

/** What the calls here read back: an impact report, or the portfolio's list. */
type Answer = ImpactReport & { pilots: unknown[] };

const key = 'pi_bench-quantiles-key-0123456789abcdefghijklm';
const headers = { authorization: `Bearer ${key}` };

/**
 * One API call; a connection the server closed while idle is retried once (every call here is
 * idempotent: events are stored once per id).
 */
async function call(url: string, path: string, body?: string, retry = true): Promise<Answer> {
	let response: Response;
	try {
		response = await fetch(`${url}/api/v1${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body
		});
	} catch (error) {
		const code = (error as { cause?: { code?: string } }).cause?.code;
		if (retry && code === 'ECONNRESET') return call(url, path, body, false);
		throw error;
	}
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as Answer;
}

/** Loads `count` events from `from` in batches of 10,000, four requests in flight. */
async function load(
	url: string,
	plan: PlanInput,
	from: number,
	count: number,
	uniform: () => number
): Promise<void> {
	const inFlight = new Set<Promise<unknown>>();
	for (let at = from; at < from + count; at += 10_000) {
		const request: Promise<unknown> = call(
			url,
			`/pilots/${plan.slug}/events`,
			batch(plan, at, Math.min(10_000, from + count - at), uniform)
		).then(() => inFlight.delete(request));
		inFlight.add(request);
		if (inFlight.size >= 4) await Promise.race(inFlight);
	}
	await Promise.all(inFlight);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await fn();
	return performance.now() - t0;
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** The pre-bucket way, for comparison: every value of each quantile group, in index order. */
function readEveryValue(path: string, pilotSlug: string, plan: PlanInput): number {
	const db = new Database(path, { readonly: true });
	try {
		const pilotId = db.prepare('SELECT id FROM pilots WHERE slug = ?').pluck().get(pilotSlug);
		const values = db
			.prepare(
				`SELECT value FROM quantile_values
				 WHERE pilot_id = ? AND metric_key = ? AND phase = ? AND cohort = ? ORDER BY value`
			)
			.pluck();
		const times: number[] = [];
		for (let run = 0; run < 5; run++) {
			const t0 = performance.now();
			for (const metric of plan.metrics.filter((m) => m.kind === 'quantile')) {
				for (const phase of ['baseline', 'pilot']) {
					for (const cohort of ['ai', 'control']) values.all(pilotId, metric.key, phase, cohort);
				}
			}
			times.push(performance.now() - t0);
		}
		return median(times);
	} finally {
		db.close();
	}
}

/**
 * What the rank lookup costs as a group grows past the sizes loaded over HTTP: one group of
 * `values` values, written straight into the tables as ingestion leaves them (buckets of ~700),
 * then a p90's six ranks looked up; median of 21.
 */
async function rankLookupAt(dir: string, values: number): Promise<number> {
	const db = openDatabase(join(dir, `ranks-${values}.db`));
	try {
		const client = db.$client;
		client.exec(`INSERT INTO pilots (slug, name, charter, governance, created_at, updated_at, stage_changed_at)
		  VALUES ('ranks', 'Ranks', '{}', '{}', '', '', '')`);
		const pilotId = client
			.prepare("SELECT id FROM pilots WHERE slug = 'ranks'")
			.pluck()
			.get() as number;
		const insertValue = client.prepare(
			`INSERT INTO quantile_values (pilot_id, metric_key, phase, cohort, day, value)
			 VALUES (?, 'p90', 'pilot', 'ai', '2026-01-01', ?)`
		);
		const insertBucket = client.prepare(
			`INSERT INTO quantile_buckets (pilot_id, metric_key, phase, cohort, lo, n, min_value, max_value)
			 VALUES (?, 'p90', 'pilot', 'ai', ?, ?, ?, ?)`
		);
		const insertRange = client.prepare(
			`INSERT INTO quantile_ranges (pilot_id, metric_key, phase, cohort, lo, n, buckets)
			 VALUES (?, 'p90', 'pilot', 'ai', ?, ?, ?)`
		);
		const size = 700;
		client.transaction(() => {
			// Values 0, 1, 2, …: already in index order, so the load is fast and the shape exact.
			for (let v = 0; v < values; v++) insertValue.run(pilotId, v);
			for (let lo = 0; lo < values; lo += size) {
				const hi = Math.min(values, lo + size) - 1;
				insertBucket.run(pilotId, lo, hi - lo + 1, lo, hi);
			}
			// The second counted level: RANGE_SIZE buckets a range, as ingestion makes them.
			const span = size * RANGE_SIZE;
			for (let lo = 0; lo < values; lo += span) {
				const hi = Math.min(values, lo + span);
				insertRange.run(pilotId, lo, hi - lo, Math.ceil((hi - lo) / size));
			}
		})();
		const centre = Math.floor(values * 0.9);
		const spread = Math.ceil(1.96 * Math.sqrt(values * 0.09));
		const ranks = [centre, centre + 1, centre - spread, centre - spread + 1, centre + spread];
		const group = { metricKey: 'p90', phase: 'pilot', cohort: 'ai' } as const;
		const times: number[] = [];
		for (let run = 0; run < 26; run++) {
			const t0 = performance.now();
			const found = await valuesAtRanks(db, pilotId, group, values, ranks);
			if (found.get(centre) !== centre - 1) throw new Error('wrong order statistic');
			if (run >= 5) times.push(performance.now() - t0);
		}
		return median(times);
	} finally {
		db.$client.close();
	}
}

/** Runs the quantile benchmarks; returns their section of bench/RESULTS.md. */
export async function benchQuantiles({ maxEvents = 1_000_000, pilots = 20 } = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-quantiles-'));
	const uniform = random(17);
	try {
		// 1. One pilot: the report right after each new batch, and a repeated read.
		const path = join(dir, 'one.db');
		const server = await startServer(path, { INIT_API_KEY: key });
		const plan = quantilePlan('quantiles', 'Quantile benchmark');
		await call(server.url, '/pilots', JSON.stringify(plan));
		const rows = [];
		const figures = new Map();
		let stored = 0;
		let loadSeconds = 0;
		let ingestPeak = 0;
		for (const target of [10_000, 100_000, 1_000_000].filter((n) => n <= maxEvents)) {
			const t0 = performance.now();
			await load(server.url, plan, stored, target - stored, uniform);
			loadSeconds += (performance.now() - t0) / 1000;
			stored = target;
			ingestPeak = peakRss(server.child.pid);
			const impact = `/pilots/${plan.slug}/impact`;
			for (let i = 0; i < 3; i++) await call(server.url, impact);
			/** 21 rounds of a new batch over `spread`, the report right after it, and again. */
			const rounds = async (spread: Spread) => {
				const afterBatch = [];
				const repeated = [];
				const batchTimes = [];
				let reportCpu = 0;
				for (let round = 0; round < 21; round++) {
					const body = batch(plan, stored, 1_000, uniform, spread);
					batchTimes.push(await timed(() => call(server.url, `/pilots/${plan.slug}/events`, body)));
					stored += 1_000;
					const cpu0 = cpuMs(server.child.pid);
					afterBatch.push(await timed(() => call(server.url, impact)));
					reportCpu += cpuMs(server.child.pid) - cpu0;
					repeated.push(await timed(() => call(server.url, impact)));
				}
				return {
					afterBatch: median(afterBatch),
					cpu: reportCpu / 21,
					repeated: median(repeated),
					batch: median(batchTimes)
				};
			};
			const recent = await rounds('recent days');
			const backfill = await rounds('both windows');
			const report = await call(server.url, impact);
			for (const key of ['first_response_p50', 'first_response_p90']) {
				const metric = report.metrics.find((m) => m.key === key);
				if (!metric || metric.pilot.value === null || metric.baseline.value === null) {
					throw new Error(`${key} has no value at ${target} events`);
				}
			}
			const before = readEveryValue(path, plan.slug, plan);
			figures.set(target, recent.afterBatch);
			rows.push({
				target,
				cpu: recent.cpu,
				afterBatch: recent.afterBatch,
				backfill: backfill.afterBatch,
				backfillCpu: backfill.cpu,
				repeated: median([recent.repeated, backfill.repeated]),
				batch: recent.batch,
				before
			});
			console.log(rows.at(-1));
		}
		server.child.kill();
		const fileMb = statSync(path).size / 2 ** 20;
		const valuesStored = (() => {
			const db = new Database(path, { readonly: true });
			try {
				return db.prepare('SELECT count(*) FROM quantile_values').pluck().get() as number;
			} finally {
				db.close();
			}
		})();

		// A fresh server on the loaded file: the memory of answering reports, not of ingesting.
		const reader = await startServer(path, { INIT_API_KEY: key });
		for (let i = 0; i < 50; i++) await call(reader.url, `/pilots/${plan.slug}/impact`);
		const readerPeak = peakRss(reader.child.pid);
		reader.child.kill();

		// 2. The portfolio: `pilots` such pilots, maxEvents events in all.
		const portfolioPath = join(dir, 'portfolio.db');
		const many = await startServer(portfolioPath, { INIT_API_KEY: key });
		const perPilot = Math.ceil(maxEvents / pilots);
		const t0 = performance.now();
		for (let i = 0; i < pilots; i++) {
			const p = quantilePlan(`pilot-${String(i + 1).padStart(2, '0')}`, `Quantile pilot ${i + 1}`);
			await call(many.url, '/pilots', JSON.stringify(p));
			await load(many.url, p, 0, perPilot, uniform);
		}
		const portfolioLoad = (performance.now() - t0) / 1000;
		for (let i = 0; i < 3; i++) await call(many.url, '/pilots');
		const portfolioTimes = [];
		for (let i = 0; i < 21; i++) portfolioTimes.push(await timed(() => call(many.url, '/pilots')));
		const listed = await call(many.url, '/pilots');
		if (listed.pilots.length !== pilots) throw new Error('the portfolio lists too few pilots');
		const portfolioPeak = peakRss(many.child.pid);
		many.child.kill();
		const portfolioMedian = median(portfolioTimes);

		// 3. The rank lookup alone at 10^6 and 10^7 values in one group.
		const lookups: [number, number][] = [];
		for (const n of [1_000_000, 10_000_000]) lookups.push([n, await rankLookupAt(dir, n)]);

		// 4. The report after a batch in this process: the app's own part of the figure above.
		const inProcess = await benchReportAfterBatch({ events: maxEvents });
		const inProcessBackfill = await benchReportAfterBatch({
			events: maxEvents,
			spread: 'both windows'
		});

		const smallest = rows[0]?.afterBatch ?? 0;
		const largest = rows.at(-1);
		const table = rows
			.map(
				(r) =>
					`| ${fmt(r.target)} | ${ms(r.afterBatch)} | ${ms(r.cpu)} | ${ms(r.backfill)} | ${ms(r.backfillCpu)} | ${ms(r.repeated)} | ${(r.afterBatch / smallest).toFixed(2)}× | ${ms(r.batch)} | ${ms(r.before)} |`
			)
			.join('\n');
		return `## Quantile metrics (p50, p90) beside the others

Generated by \`node --import tsx bench/quantiles.ts\` on ${new Date().toISOString().slice(0, 10)} (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node.js ${process.version}), against the built server (\`node build\`) on a temporary database. The plan is the benchmark pilot's (mean, proportion, ratio, mean) with two quantile guardrails, p90 and p50 of first-response time (exponential, mean 30 min, 1/100-minute resolution); 10% of cases are in the control cohort, so every quantile metric has four groups (two phases × two cohorts). Events are spread over both windows at random instants and sent through the HTTP API (${loadSeconds.toFixed(0)} s to load ${fmt(stored)}).

At each size: 21 rounds of one new batch of 1,000 events of the pilot's last two days (as a running pilot's new cases arrive), then the report (\`GET /api/v1/pilots/{slug}/impact\`, JSON read) right after it, then the same report again; then 21 rounds the same way with batches spread over every day of both windows (a backfill: every batch changes every group and every day, so nothing read before can be kept); medians. "Its server CPU" is the server's CPU time (user + system, all threads) per report after a batch, averaged over the 21: on a machine shared with other work it moves less than the wall time. The last column reads every value of the eight quantile groups as the report did before (\`ORDER BY value\` over the index, in this process, no statistics), for comparison.

| events stored (before the batches) | report after a new batch | its server CPU | after a backfill batch | its server CPU | repeated report | ratio to 10,000 (goal ≤ 2×) | the batch of 1,000 (POST) | reading every value, as before |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}

Report right after a new batch at ${fmt(largest?.target ?? 0)} events: **${ms(largest?.afterBatch ?? 0)}** (goal ≤ 20 ms: ${verdict((largest?.afterBatch ?? Infinity) <= 20)}; ≤ 2× the 10,000 figure: ${verdict((largest?.afterBatch ?? Infinity) <= 2 * smallest)}); after a backfill batch ${ms(largest?.backfill ?? 0)} (≤ 20 ms: ${verdict((largest?.backfill ?? Infinity) <= 20)}).

Portfolio (\`GET /api/v1/pilots\`, ${pilots} such pilots, ${fmt(perPilot)} events each, ${fmt(perPilot * pilots)} in all, ${portfolioLoad.toFixed(0)} s to load): median of 21 after 3 warm-up requests **${ms(portfolioMedian)}** (goal ≤ 100 ms: ${verdict(portfolioMedian <= 100)}); server peak memory ${fmt(portfolioPeak)} MB.

Memory, with ${fmt(valuesStored)} quantile values stored (${fmt(largest?.target ?? 0)} events × 2 quantile metrics; database file ${fmt(fileMb)} MB): a fresh server answering 50 reports peaks at **${fmt(readerPeak)} MB** resident; the server that ingested them peaked at ${fmt(ingestPeak)} MB (ingestion's worker thread and batches, not the values: no value is held between requests).

The rank lookup alone (\`valuesAtRanks\`: the range sums, the bucket sums of one range, then one step into the value index) for a p90's ranks in one group, median of 21: ${lookups.map(([n, t]) => `${ms(t)} at ${fmt(n)} values`).join(', ')}.

The same report in one process, without HTTP or a server (\`bench/report-after-batch.ts\`: the pilot loaded in-process with ${fmt(inProcess.events)} events, then 21 rounds of a batch of 1,000 and \`impactReport\` right after it; medians): **${ms(inProcess.afterBatch)}** after a new batch of the last two days (CPU ${ms(inProcess.afterBatchCpu)}), ${ms(inProcessBackfill.afterBatch)} after a backfill batch over both windows (CPU ${ms(inProcessBackfill.afterBatchCpu)}), ${ms(inProcess.repeated)} repeated.
`;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const at = process.argv.indexOf('--max');
	const maxEvents = at === -1 ? 1_000_000 : Number(process.argv[at + 1]);
	console.log(await benchQuantiles({ maxEvents }));
}
