import { spawnSync } from 'node:child_process';
import {
	createReadStream,
	createWriteStream,
	mkdtempSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { compare } from '../src/lib/metrics/compare';
import { buildImpactReport } from '../src/lib/metrics/impact-report';
import { seededRandom } from '../src/lib/metrics/random';
import { benchPlan } from './support.ts';
import { momentsOf, valuesOf } from '../src/lib/metrics/sufficient-stats';
import { planSchema } from '../src/lib/schemas/plan';

const root = fileURLToPath(new URL('..', import.meta.url));
const random = seededRandom(42);

/** Median of `runs` timings of `fn`, in milliseconds, after a warm-up. */
function time(fn: () => void, runs = 7, warmup = 2): number {
	for (let i = 0; i < warmup; i++) fn();
	const times = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		fn();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(runs / 2)];
}

const fmt = (ms: number): string =>
	ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`;

// --- compare() for 50 metrics ---------------------------------------------------------------
const metricCount = 50;
const stats = Array.from({ length: metricCount }, (_, i) => ({
	b: momentsOf(Array.from({ length: 1000 }, () => 14 + i + 6 * random.normal())),
	p: momentsOf(Array.from({ length: 800 }, () => 12 + i + 6 * random.normal()))
}));
const repeat = 1000;
let sink = 0;
// Baseline: the same loop computing only the two means' difference from the sums — the floor
// any comparison on sufficient statistics costs.
const floorMs =
	time(() => {
		for (let r = 0; r < repeat; r++) {
			for (const { b, p } of stats) {
				if (b.type === 'moments' && p.type === 'moments') sink += p.sum / p.n - b.sum / b.n;
			}
		}
	}) / repeat;
const compareMs =
	time(() => {
		for (let r = 0; r < repeat; r++) {
			for (const { b, p } of stats)
				sink += compare(b, p, { kind: 'mean' }).absoluteChange?.estimate ?? 0;
		}
	}) / repeat;

// Quantile metrics sort their values: 50 p90 metrics over 1,000 + 800 values each.
const quantileStats = Array.from({ length: metricCount }, () => ({
	b: valuesOf(Array.from({ length: 1000 }, () => random.exponential(30))),
	p: valuesOf(Array.from({ length: 800 }, () => random.exponential(25)))
}));
const quantileMs = time(() => {
	for (const { b, p } of quantileStats) {
		sink += compare(b, p, { kind: 'quantile', quantile: 0.9 }).absoluteChange?.estimate ?? 0;
	}
});

// buildImpactReport for a 50-metric plan (mean metrics), the page's whole computation.
const plan = planSchema.parse({
	slug: 'bench',
	name: 'Bench',
	baselineWindow: { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' },
	pilotWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-22T00:00:00Z' },
	metrics: stats.map((_, i) => ({
		key: `m${i}`,
		kind: 'mean',
		measure: `x${i}`,
		direction: 'decrease',
		role: i === 0 ? 'primary' : 'secondary',
		target: { relative: -0.1 }
	}))
});
const pilotStats = {
	metrics: Object.fromEntries(
		stats.map(({ b, p }, i) => [
			`m${i}`,
			{ baseline: { ai: b, control: null }, pilot: { ai: p, control: null } }
		])
	),
	cases: { baseline: { ai: 1000, control: 0 }, pilot: { ai: 800, control: 0 } }
};
const reportMs =
	time(() => {
		for (let r = 0; r < 100; r++) {
			sink += buildImpactReport(plan, pilotStats, {
				generatedAt: '2026-10-21T00:00:00Z',
				stage: 'running',
				pilotDaysElapsed: 20,
				governanceMissing: []
			}).metrics.length;
		}
	}) / 100;

// --- the CLI on 200,000 events ----------------------------------------------------------------
const rows = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-bench-'));
const eventsPath = join(dir, 'events.csv');
const planPath = join(dir, 'plan.json');
// The benchmark pilot's economics and metrics (errors valued in money), in UTC over a 30-day
// baseline and a 21-day pilot: the windows the generated CSV fills.
const shared = benchPlan({ slug: 'bench-cli', name: 'CLI bench' });
writeFileSync(
	planPath,
	JSON.stringify({
		slug: shared.slug,
		name: shared.name,
		baselineWindow: { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' },
		pilotWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-22T00:00:00Z' },
		economics: shared.economics,
		metrics: shared.metrics.map((m) => (m.key === 'error_rate' ? { ...m, valuePerUnit: 25 } : m))
	})
);
const out = createWriteStream(eventsPath);
out.write(
	'id,occurred_at,cohort,handling_minutes,error,cost_eur,resolved,first_response_minutes,csat\n'
);
const baselineStart = Date.parse('2026-09-01T00:00:00Z');
const pilotStart = Date.parse('2026-10-01T00:00:00Z');
for (let i = 0; i < rows; i++) {
	const pilot = i % 2 === 1;
	const at = (pilot ? pilotStart : baselineStart) + Math.floor(random.uniform() * 20 * 86_400_000);
	const line = [
		`case-${i}`,
		new Date(at).toISOString(),
		Math.floor(i / 2) % 10 === 0 ? 'control' : 'ai',
		(pilot ? 10 : 14) + 4 * random.normal(),
		random.uniform() < 0.05 ? 1 : 0,
		(3 + random.uniform()).toFixed(2),
		random.uniform() < 0.8 ? 1 : 0,
		random.exponential(pilot ? 30 : 40).toFixed(1),
		random.uniform() < 0.1 ? '' : 1 + Math.floor(random.uniform() * 5)
	].join(',');
	if (!out.write(`${line}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const fileMb = statSync(eventsPath).size / 1e6;

// Baseline in this process: parsing the same file with csv-parse and nothing else.
const parseStart = performance.now();
let parsedRows = 0;
for await (const record of createReadStream(eventsPath).pipe(parse({ columns: true }))) {
	if (record) parsedRows += 1;
}
const parseMs = performance.now() - parseStart;

const cliStart = performance.now();
const cli = spawnSync(
	process.execPath,
	[
		'--import',
		join(root, 'bench/rss.js'),
		join(root, 'bin/pilot-impact.js'),
		'analyze',
		'--plan',
		planPath,
		'--events',
		eventsPath,
		'--as-of',
		'2026-10-21T00:00:00Z'
	],
	{ encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
);
const cliMs = performance.now() - cliStart;
if (cli.status !== 0) throw new Error(`CLI failed: ${cli.stderr}`);
const maxRssMb = Number(/maxRSS-kB (\d+)/.exec(cli.stderr)?.[1] ?? NaN) / 1024;
const report = JSON.parse(cli.stdout);
rmSync(dir, { recursive: true, force: true });

// Startup cost of the bin alone (tsx registration and module loading), to separate it out.
const helpStart = performance.now();
spawnSync(process.execPath, [join(root, 'bin/pilot-impact.js'), '--help'], { encoding: 'utf8' });
const startupMs = performance.now() - helpStart;

/** The metrics core and CLI sections of bench/RESULTS.md. */
export const coreResults = `## Metrics core

Medians of 7 runs after 2 warm-up runs; ratios compare with a baseline measured in the same process.

| what | time | ratio to baseline |
| --- | --- | --- |
| baseline: difference of two means from sums, 50 metrics | ${fmt(floorMs)} | 1× |
| \`compare()\` for 50 mean metrics (Welch t, p-value, delta-method relative CI) | ${fmt(compareMs)} | ${(compareMs / floorMs).toFixed(0)}× |
| \`compare()\` for 50 p90 metrics over 1,000 + 800 values each (sort included) | ${fmt(quantileMs)} | ${(quantileMs / floorMs).toFixed(0)}× |
| \`buildImpactReport()\` for a 50-metric plan (verdicts, power, economics, recommendation) | ${fmt(reportMs)} | ${(reportMs / compareMs).toFixed(1)}× \`compare()\` of 50 |

Per metric, \`compare()\` costs ${fmt(compareMs / metricCount)}: the cost of a report does not depend on the number of events, which stay in sufficient statistics.

## CLI on ${rows.toLocaleString('en-US')} events

One run each.

A generated CSV of ${rows.toLocaleString('en-US')} rows (${fileMb.toFixed(1)} MB; 5 metrics of all four kinds, AI-cohort cases: ${report.cases.baseline.ai.toLocaleString('en-US')} baseline and ${report.cases.pilot.ai.toLocaleString('en-US')} pilot, plus 10% control cohort).

| what | time | ratio to baseline |
| --- | --- | --- |
| baseline: csv-parse reading the file, in this process (${parsedRows.toLocaleString('en-US')} records) | ${fmt(parseMs)} | 1× |
| \`pilot-impact analyze\` (separate process: validate every row, detect duplicates, accumulate, report) | ${fmt(cliMs)} | ${(cliMs / parseMs).toFixed(1)}× |
| of which start-up (\`pilot-impact --help\`: Node, tsx, module loading) | ${fmt(startupMs)} | ${(startupMs / parseMs).toFixed(2)}× |

Peak memory of the CLI process (maxRSS): **${maxRssMb.toFixed(0)} MB**. Events are streamed; what grows with the file is one digest per event id (for duplicate detection) and the values of quantile metrics.
`;
if (sink === 42) process.stdout.write('\n');
