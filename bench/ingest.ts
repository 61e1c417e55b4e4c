// Part of `npm run bench` (bench/run.ts, which builds the app first): HTTP ingestion
// throughput against a raw better-sqlite3 insert of the same rows into the same table,
// impact report latency as events grow, and the server's peak memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/lib/server/db/index.ts';
import {
	benchMeasures,
	benchPlan,
	cpuMs,
	fmt,
	ingestOver,
	median,
	peakRss,
	random,
	startServer
} from './support.ts';

const key = 'pi_bench-admin-key-0123456789abcdefghijklmnop';
let maxEvents = 1_000_000;
let dir = '';

const plan = benchPlan({ slug: 'bench', name: 'Benchmark pilot', quantile: false });

const start = Date.parse(plan.baselineWindow.start);
const span = Date.parse(plan.pilotWindow.end) - start;
const uniform = random(42);
/** Event number n of the run, at instant t. */
function event(
	n: number,
	t: number
): { id: string; occurredAt: string; measures: Record<string, number> } {
	return {
		id: `case-${String(n).padStart(9, '0')}`,
		occurredAt: new Date(t).toISOString(),
		measures: benchMeasures(uniform)
	};
}

const headers = { authorization: `Bearer ${key}` };
const post = (
	url: string,
	path: string,
	body: string,
	type = 'application/json'
): Promise<Response> =>
	fetch(`${url}/api/v1${path}`, {
		method: 'POST',
		headers: { ...headers, 'content-type': type },
		body
	});

/**
 * The request bodies for `total` events numbered from `from`, made before any timing. They
 * are spread in time order over both windows, as a system sends its cases; so each call covers
 * the same days, and more events mean more cases per day, not more days.
 */
function bodies(from: number, total: number, batch: number): Buffer[] {
	const out: Buffer[] = [];
	for (let b = 0; b * batch < total; b++) {
		const events = [];
		for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) {
			events.push(event(from + i, start + Math.floor(((i + uniform()) / total) * span)));
		}
		out.push(Buffer.from(JSON.stringify(events)));
	}
	return out;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: plan.timezone,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});
const pilotStart = Date.parse(plan.pilotWindow.start);

/**
 * The same rows straight into SQLite: the app's own database (its migrations, WAL,
 * synchronous=NORMAL, foreign keys), one transaction per batch, `rowsPerInsert` rows to an
 * INSERT with the app's columns and conflict clause. The stored columns (day, phase) are
 * computed before the clock starts.
 */
interface RawRow {
	id: string;
	occurredAt: string;
	day: string;
	phase: string;
	measures: string;
}

function rawInsert(prepared: Buffer[], name: string, rowsPerInsert: number): number {
	const db = openDatabase(join(dir, `raw-${name}-${rowsPerInsert}.db`)).$client;
	const now = new Date().toISOString();
	db.prepare(
		`INSERT INTO pilots (slug, name, charter, governance, created_at, updated_at, stage_changed_at)
		 VALUES ('bench', 'Benchmark pilot', '{}', '{}', ?, ?, ?)`
	).run(now, now, now);
	const insertSql = (n: number): string =>
		`INSERT INTO events (pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at)
		 VALUES ${Array(n).fill("(1, ?, ?, ?, ?, 'ai', NULL, ?, ?)").join(', ')}
		 ON CONFLICT (pilot_id, external_id) DO NOTHING`;
	const one = db.prepare(insertSql(1));
	const many = db.prepare(insertSql(rowsPerInsert));
	const store = db.transaction((rows: RawRow[]) => {
		let i = 0;
		if (rowsPerInsert > 1) {
			const params: string[] = [];
			for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) {
				params.length = 0;
				for (let j = i; j < i + rowsPerInsert; j++) {
					const r = rows[j];
					params.push(r.id, r.occurredAt, r.day, r.phase, r.measures, now);
				}
				many.run(params);
			}
		}
		for (; i < rows.length; i++) {
			const r = rows[i];
			one.run(r.id, r.occurredAt, r.day, r.phase, r.measures, now);
		}
	});
	const batches = prepared.map((body) =>
		(JSON.parse(body.toString()) as ReturnType<typeof event>[]).map((e): RawRow => {
			const t = Date.parse(e.occurredAt);
			return {
				id: e.id,
				occurredAt: e.occurredAt,
				day: dayFormat.format(t),
				phase: t < pilotStart ? 'baseline' : 'pilot',
				measures: JSON.stringify(e.measures)
			};
		})
	);
	const t0 = performance.now();
	for (const rows of batches) store(rows);
	const ms = performance.now() - t0;
	db.close();
	return ms;
}

async function reportLatency(url: string, runs = 51): Promise<number> {
	for (let i = 0; i < 5; i++)
		await (await fetch(`${url}/api/v1/pilots/bench/impact`, { headers })).json();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		const response = await fetch(`${url}/api/v1/pilots/bench/impact`, { headers });
		await response.json();
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(runs / 2)];
}

const ROUNDS = 3;

/** Runs the ingestion benchmarks; returns their section of bench/RESULTS.md. */
export async function benchIngest(options: { maxEvents?: number } = {}): Promise<string> {
	maxEvents = options.maxEvents ?? 1_000_000;
	dir = mkdtempSync(join(tmpdir(), 'pilot-impact-bench-'));
	const rows: string[] = [];

	// 1. Throughput: per batch size, three rounds, each with a fresh server and fresh raw
	// databases, reported as medians, since one run on a shared machine can be off by a third.
	// A warm-up request first loads the route's code, as a running server would have it loaded.
	const throughputEvents = Math.min(100_000, maxEvents);
	const rate = (elapsedMs: number): number => throughputEvents / (elapsedMs / 1000);
	const perEvent = (cpuMs: number): string =>
		`${((cpuMs * 1000) / throughputEvents).toFixed(1)} µs`;
	for (const batch of [1_000, 10_000]) {
		const prepared = bodies(0, throughputEvents, batch);
		const runs: Record<'http' | 'direct' | 'grouped' | 'serverCpu' | 'clientCpu', number[]> = {
			http: [],
			direct: [],
			grouped: [],
			serverCpu: [],
			clientCpu: []
		};
		for (let round = 0; round < ROUNDS; round++) {
			const server = await startServer(join(dir, `http-${batch}-${round}.db`), {
				INIT_API_KEY: key
			});
			await post(server.url, '/pilots', JSON.stringify(plan));
			await post(server.url, '/pilots/bench/events', '[]');
			const cpu0 = cpuMs(server.child.pid);
			const { ms, clientCpuMs } = await ingestOver(server.url, key, prepared, 10);
			runs.serverCpu.push(cpuMs(server.child.pid) - cpu0);
			runs.clientCpu.push(clientCpuMs);
			server.child.kill();
			runs.http.push(rate(ms));
			runs.direct.push(rate(rawInsert(prepared, `${batch}-${round}`, 1)));
			runs.grouped.push(rate(rawInsert(prepared, `${batch}-${round}`, 50)));
		}
		const [overHttp, direct, grouped] = [runs.http, runs.direct, runs.grouped].map(median);
		rows.push(
			`| ${fmt(throughputEvents)} events, batches of ${fmt(batch)}, 10 clients | ${fmt(overHttp)} events/s | ${fmt(direct)} events/s | **${(overHttp / direct).toFixed(2)}** | ${fmt(grouped)} events/s (${(overHttp / grouped).toFixed(2)}) | ${perEvent(median(runs.serverCpu))} | ${perEvent(median(runs.clientCpu))} |`
		);
		console.log(rows.at(-1));
	}

	// 2. Report latency as events grow, and peak memory while ingesting up to maxEvents.
	const server = await startServer(join(dir, 'latency.db'), { INIT_API_KEY: key });
	await post(server.url, '/pilots', JSON.stringify(plan));
	const latency: string[] = [];
	let stored = 0;
	let smallest = 0;
	for (const target of [10_000, 100_000, 1_000_000].filter((n) => n <= maxEvents)) {
		// In steps of 100,000 events, so the prepared bodies stay small.
		for (let from = stored; from < target; from += 100_000) {
			await ingestOver(server.url, key, bodies(from, Math.min(100_000, target - from), 10_000), 10);
		}
		stored = target;
		const ms = await reportLatency(server.url);
		smallest ||= ms;
		latency.push(`| ${fmt(target)} | ${ms.toFixed(1)} ms | ${(ms / smallest).toFixed(2)}× |`);
		console.log(latency.at(-1));
	}
	const rss = peakRss(server.child.pid);
	server.child.kill();
	rmSync(dir, { recursive: true, force: true });

	return `## Ingestion over HTTP against a raw insert of the same rows

The built server (\`node build\`) on a temporary database file. Events carry 5 measures for 4 metrics (mean, proportion, ratio, mean; no quantile metric) and are spread in time order over both windows (181 days); ids arrive in order (\`case-000000001\`…), which is how most systems number cases; 10 clients keep 10 requests in flight over keep-alive connections (node:http, which needs about a third of the CPU of fetch) and share the machine's cores with the server.

The raw insert is better-sqlite3 in this process, writing the same rows into the same \`events\` table of a database opened and migrated by the app (WAL, synchronous=NORMAL, foreign keys), with the app's columns and conflict clause, one transaction per batch, one row per INSERT statement, the usual way; its rows (the events of the HTTP run, with their day and phase) are made before the clock starts. Each figure is the median of three rounds, each on fresh databases and a fresh server. The HTTP path adds the network, JSON parsing, validation of every event against the plan, and the per-day rollups written in the same transaction; it parses and checks in a worker thread while the main thread stores, and it writes 50 rows per INSERT statement. The same raw insert with 50 rows per statement is shown beside it, with the ratio to it in brackets. The last columns are the CPU time (user + system) per event of the server (all its threads) and of the clients, which shared machines disturb less than the throughput.

| what | HTTP | raw insert | ratio (goal ≥ 0.5) | raw insert, 50 rows per statement | server CPU per event | clients' CPU per event |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

## Impact report latency

\`GET /api/v1/pilots/{slug}/impact\` as the stored events grow over the same 181 days: median of 51 requests after 5 warm-up requests. The report reads per-day rollups, so its cost follows days × metrics, not events.

| events stored | latency | ratio to the smallest (goal ≤ 2×) |
| --- | --- | --- |
${latency.join('\n')}

## Memory

Peak resident memory of the server while ingesting ${fmt(stored)} events in batches of 10,000 from 10 clients: **${fmt(rss)} MB** (goal ≤ 300 MB).
`;
}
