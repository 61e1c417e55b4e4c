// `node bench/ingest.js [--max 1000000]` (after `npm run build`): HTTP ingestion throughput
// against a raw better-sqlite3 insert of the same rows, impact report latency as events grow,
// and the server's peak memory. Writes bench/INGEST.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const args = process.argv.slice(2);
const maxEvents = Number(args[args.indexOf('--max') + 1] ?? 1_000_000) || 1_000_000;
const key = 'pi_bench-admin-key-0123456789abcdefghijklmnop';
const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-bench-'));

const plan = {
	slug: 'bench',
	name: 'Benchmark pilot',
	timezone: 'Europe/Madrid',
	baselineWindow: { start: '2026-01-01T00:00:00+01:00', end: '2026-04-01T00:00:00+02:00' },
	pilotWindow: { start: '2026-04-01T00:00:00+02:00', end: '2026-07-01T00:00:00+02:00' },
	economics: {
		currency: 'EUR',
		hourlyCost: 38,
		monthlyVolume: 4000,
		timeRecapture: 0.5,
		costs: { oneOff: 1000, monthly: 100, perCase: 0.01 }
	},
	metrics: [
		{
			key: 'handling_time',
			unit: 'min',
			kind: 'mean',
			measure: 'handling_minutes',
			direction: 'decrease',
			role: 'primary',
			target: { relative: -0.2 },
			staffTime: true
		},
		{
			key: 'error_rate',
			kind: 'proportion',
			measure: 'error',
			direction: 'decrease',
			role: 'guardrail',
			tolerance: { absolute: 0.01 }
		},
		{
			key: 'cost_per_resolved',
			kind: 'ratio',
			numerator: 'cost_eur',
			denominator: 'resolved',
			direction: 'decrease'
		},
		{
			key: 'csat',
			kind: 'mean',
			measure: 'csat',
			direction: 'increase',
			role: 'guardrail',
			tolerance: { absolute: 0.1 }
		}
	],
	minSamples: 30
};

const start = Date.parse(plan.baselineWindow.start);
const span = Date.parse(plan.pilotWindow.end) - start;
let seed = 42;
const uniform = () => {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed / 2147483648;
};
/** Event n of the run: spread over both windows, ids in arrival order. */
function event(n, total) {
	const t = start + Math.floor(((n + uniform()) / total) * span);
	return {
		id: `case-${String(n).padStart(9, '0')}`,
		occurredAt: new Date(t).toISOString(),
		measures: {
			handling_minutes: Math.round((8 + 10 * uniform()) * 100) / 100,
			error: uniform() < 0.05 ? 1 : 0,
			cost_eur: Math.round(300 * uniform()) / 100,
			resolved: uniform() < 0.9 ? 1 : 0,
			csat: 1 + Math.floor(5 * uniform())
		}
	};
}

function freePort() {
	return new Promise((done) => {
		const probe = createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => done(port));
		});
	});
}

async function startServer(databasePath) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			DATABASE_PATH: databasePath,
			BODY_SIZE_LIMIT: '10M',
			SEED_DEMO: 'false',
			INIT_API_KEY: key
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 300; i++) {
		try {
			if ((await fetch(`${url}/healthz`)).ok) return { url, child };
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('server did not start');
}

const headers = { authorization: `Bearer ${key}` };
const post = (url, path, body, type = 'application/json') =>
	fetch(`${url}/api/v1${path}`, {
		method: 'POST',
		headers: { ...headers, 'content-type': type },
		body
	});

/** The request bodies for `total` events from event number `from`, made before any timing. */
function bodies(from, total, batch) {
	const out = [];
	for (let b = 0; b * batch < total; b++) {
		const events = [];
		for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) {
			events.push(event(from + i, maxEvents));
		}
		out.push(JSON.stringify(events));
	}
	return out;
}

/** Sends prepared bodies with `clients` requests in flight; returns the elapsed ms. */
async function ingest(url, prepared, clients) {
	let next = 0;
	const worker = async () => {
		for (;;) {
			const b = next++;
			if (b >= prepared.length) return;
			const response = await post(url, '/pilots/bench/events', prepared[b]);
			if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
			await response.arrayBuffer();
		}
	};
	const t0 = performance.now();
	await Promise.all(Array.from({ length: clients }, worker));
	return performance.now() - t0;
}

/** The same rows straight into SQLite: one table, the idempotency index, 1,000 per transaction. */
function rawInsert(total, batch) {
	const path = join(dir, `raw-${batch}.db`);
	const db = new Database(path);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, pilot_id INTEGER NOT NULL, external_id TEXT NOT NULL,
		occurred_at TEXT NOT NULL, measures TEXT NOT NULL);
		CREATE UNIQUE INDEX events_unique ON events (pilot_id, external_id);`);
	const insert = db.prepare(
		'INSERT INTO events (pilot_id, external_id, occurred_at, measures) VALUES (1, ?, ?, ?)'
	);
	const many = db.transaction((rows) => {
		for (const e of rows) insert.run(e.id, e.occurredAt, JSON.stringify(e.measures));
	});
	const batches = [];
	for (let b = 0; b * batch < total; b++) {
		const rows = [];
		for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) {
			rows.push(event(i, maxEvents));
		}
		batches.push(rows);
	}
	const t0 = performance.now();
	for (const rows of batches) many(rows);
	const ms = performance.now() - t0;
	db.close();
	return ms;
}

async function reportLatency(url, runs = 21) {
	const times = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		const response = await fetch(`${url}/api/v1/pilots/bench/impact`, { headers });
		await response.json();
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(runs / 2)];
}

const peakRss = (pid) => {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('VmHWM'));
	return Number(/(\d+)/.exec(line)[1]) / 1024;
};

const rows = [];
const fmt = (x) => Math.round(x).toLocaleString('en');

// 1. Throughput: a fresh server per batch size, 100,000 events, 10 clients.
const throughputEvents = Math.min(100_000, maxEvents);
for (const batch of [1_000, 10_000]) {
	const server = await startServer(join(dir, `http-${batch}.db`));
	await post(server.url, '/pilots', JSON.stringify(plan));
	const ms = await ingest(server.url, bodies(0, throughputEvents, batch), 10);
	server.child.kill();
	const raw = rawInsert(throughputEvents, batch);
	const http = throughputEvents / (ms / 1000);
	const direct = throughputEvents / (raw / 1000);
	rows.push(
		`| ${fmt(throughputEvents)} events, batches of ${fmt(batch)}, 10 clients | ${fmt(http)} events/s | ${fmt(direct)} events/s | ${(http / direct).toFixed(2)} |`
	);
	console.log(rows.at(-1));
}

// 2. Report latency as events grow, and peak memory while ingesting up to maxEvents.
const server = await startServer(join(dir, 'latency.db'));
await post(server.url, '/pilots', JSON.stringify(plan));
const latency = [];
let stored = 0;
for (const target of [10_000, 100_000, 1_000_000].filter((n) => n <= maxEvents)) {
	// In steps of 100,000 events, so the prepared bodies stay small.
	for (let from = stored; from < target; from += 100_000) {
		await ingest(server.url, bodies(from, Math.min(100_000, target - from), 10_000), 10);
	}
	stored = target;
	const ms = await reportLatency(server.url);
	latency.push(`| ${fmt(target)} | ${ms.toFixed(1)} ms |`);
	console.log(latency.at(-1));
}
const rss = peakRss(server.child.pid);
server.child.kill();
rmSync(dir, { recursive: true, force: true });

const out = `# Ingestion and report benchmarks

Generated by \`node bench/ingest.js\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, Node.js ${process.version}), against the built server (\`node build\`) on a temporary database file, WAL, synchronous=NORMAL.

Events carry 5 measures for 4 metrics (mean, proportion, ratio, mean; no quantile metric); ids arrive in order (\`case-000000001\`…), which is how most systems number cases.

## HTTP ingestion against a raw insert of the same rows

The raw insert is better-sqlite3 in one process: the same ids and JSON measures into a table with the same UNIQUE(pilot, external id) index, in transactions of the batch size. The HTTP path adds JSON parsing, validation of every event against the plan, the content hash, the per-day rollups and the network. Both sides get their rows ready before the clock starts; the HTTP clients (fetch, 10 in flight) still share the machine’s cores with the server.

| what | HTTP | raw insert | ratio (goal ≥ 0.5) |
| --- | --- | --- | --- |
${rows.join('\n')}

## Impact report latency (GET /impact, median of 21)

| events stored | latency |
| --- | --- |
${latency.join('\n')}

The report reads per-day rollups, so its cost follows the number of days × metrics, not of events.

## Memory

Peak resident memory of the server while ingesting ${fmt(stored)} events in batches of 10,000 from 10 clients: **${fmt(rss)} MB** (goal ≤ 300 MB).
`;
writeFileSync(new URL('./INGEST.md', import.meta.url), out);
console.log(out);
