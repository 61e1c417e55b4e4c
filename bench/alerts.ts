// Part of `npm run bench` (bench/run.ts, which builds the app first): what alert evaluation
// costs ingestion. The same batches go over HTTP into the built server with ALERTS=off and with
// alerts on (a webhook registered on the pilot, guardrails that breach and recover as the
// batches arrive), in alternating rounds of the same run, each on a fresh server and database.
// Run alone: `node --import tsx bench/alerts.ts [--rounds 7] [--events 100000]`.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { alertTypes } from '../src/lib/domain/alerts.ts';
import {
	benchPlan,
	cpuMs,
	fmt,
	ingestOver,
	median,
	postEvents,
	random,
	startServer
} from './support.ts';

type Mode = 'off' | 'on';

const key = 'pi_bench-alerts-admin-key-0123456789abcdefgh';
const plan = benchPlan({ slug: 'bench', name: 'Benchmark pilot', quantile: false });
const baselineStart = Date.parse(plan.baselineWindow.start);
const pilotStart = Date.parse(plan.pilotWindow.start);
const pilotEnd = Date.parse(plan.pilotWindow.end);
const headers = { authorization: `Bearer ${key}` };

/**
 * The request bodies: half baseline events (5% errors), then pilot events whose error rate
 * breaches the error guardrail in the first batches (30%) and recovers later (none), so the
 * alerts' evaluation finds changes to raise and deliver, not an unchanged pilot.
 */
function bodies(total: number, batch: number): Buffer[] {
	const uniform = random(7);
	const out: Buffer[] = [];
	const half = total / 2;
	const batches = Math.ceil(total / batch);
	for (let b = 0; b < batches; b++) {
		const events = [];
		for (let i = b * batch; i < Math.min(total, (b + 1) * batch); i++) {
			const pilot = i >= half;
			const share = pilot ? (i - half) / half : i / half;
			const t = pilot
				? pilotStart + Math.floor(share * (pilotEnd - pilotStart))
				: baselineStart + Math.floor(share * (pilotStart - baselineStart));
			const pilotBatch = Math.floor((i - half) / batch);
			const errorRate = !pilot ? 0.05 : pilotBatch < 3 ? 0.3 : 0;
			events.push({
				id: `case-${String(i).padStart(9, '0')}`,
				occurredAt: new Date(t).toISOString(),
				measures: {
					handling_minutes: Math.round(((pilot ? 7 : 8) + 10 * uniform()) * 100) / 100,
					error: uniform() < errorRate ? 1 : 0,
					cost_eur: Math.round(300 * uniform()) / 100,
					resolved: uniform() < 0.9 ? 1 : 0,
					csat: 1 + Math.floor(5 * uniform())
				}
			});
		}
		out.push(Buffer.from(JSON.stringify(events)));
	}
	return out;
}

const api = (url: string, path: string, init: RequestInit = {}): Promise<Response> =>
	fetch(`${url}/api/v1${path}`, {
		...init,
		headers: {
			...headers,
			'content-type': 'application/json',
			...(init.headers as Record<string, string> | undefined)
		}
	});

/** A receiver on this machine that acknowledges every delivery and counts them. */
async function receiver(): Promise<{
	url: string;
	count: () => number;
	close: () => Promise<void>;
}> {
	let count = 0;
	const server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			count++;
			response.writeHead(204).end();
		});
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		count: () => count,
		close: () => new Promise<void>((done) => server.close(() => done()))
	};
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the comparison; returns its section of bench/RESULTS.md. */
export async function benchAlerts(
	options: { rounds?: number; events?: number } = {}
): Promise<string> {
	const rounds = options.rounds ?? 7;
	const total = options.events ?? 100_000;
	const batch = 1_000;
	const clients = 10;
	const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-bench-alerts-'));
	const hook = await receiver();
	const prepared = bodies(total, batch);
	const rates: Record<Mode, number[]> = { off: [], on: [] };
	const cpu: Record<Mode, number[]> = { off: [], on: [] };
	let alertsRaised = 0;
	let delivered = 0;
	const types = new Set<string>();
	const load0 = loadavg();
	try {
		for (let round = 0; round < rounds; round++) {
			// Alternating which goes first, so a machine getting busier or quieter during the run
			// weighs on both alike.
			const order: Mode[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
			for (const mode of order) {
				const server = await startServer(join(dir, `${mode}-${round}.db`), {
					INIT_API_KEY: key,
					ALERTS: mode === 'on' ? 'on' : 'off',
					API_RATE_LIMIT: '1000000',
					API_RATE_BURST: '1000000'
				});
				try {
					let id = 0;
					for (const [slug, name] of [
						['warm-up', 'Warm-up pilot'],
						['bench', 'Benchmark pilot']
					]) {
						const created = await api(server.url, '/pilots', {
							method: 'POST',
							body: JSON.stringify({ ...plan, slug, name })
						});
						if (created.status !== 201) throw new Error(`create: ${await created.text()}`);
						const registered = await api(server.url, '/webhooks', {
							method: 'POST',
							body: JSON.stringify({
								url: hook.url,
								pilot: slug,
								events: alertTypes
							})
						});
						if (registered.status !== 201) throw new Error(`webhook: ${await registered.text()}`);
						id = ((await registered.json()) as { id: number }).id;
					}
					// Warm-up on another pilot: a baseline batch and a breaching pilot batch load the
					// route's code and, with alerts on, the evaluation's and the sender's (a report
					// and a delivery), as a server that has been running has them loaded.
					const agent = new http.Agent();
					await postEvents(agent, server.url, key, prepared[0], 'warm-up');
					await postEvents(agent, server.url, key, prepared[prepared.length / 2], 'warm-up');
					agent.destroy();
					await sleep(2000);
					const cpu0 = cpuMs(server.child.pid);
					const ms = (await ingestOver(server.url, key, prepared, clients)).ms;
					rates[mode].push(total / (ms / 1000));
					// The loop evaluates the last batches and delivers after the timing: its CPU
					// counts (in both modes alike, the same wait).
					await sleep(6000);
					cpu[mode].push(((cpuMs(server.child.pid) - cpu0) * 1000) / total);
					if (mode === 'on') {
						const log = (await (await api(server.url, `/webhooks/${id}`)).json()) as {
							deliveries: { status: string; type: string }[];
						};
						alertsRaised += log.deliveries.length;
						delivered += log.deliveries.filter((d) => d.status === 'delivered').length;
						for (const d of log.deliveries) types.add(d.type);
					}
					console.log(
						`alerts ${mode}, round ${round + 1}: ${fmt(rates[mode].at(-1) ?? 0)} events/s`
					);
				} finally {
					server.child.kill();
				}
			}
		}
	} finally {
		await hook.close();
		rmSync(dir, { recursive: true, force: true });
	}
	const load1 = loadavg();
	const off = median(rates.off);
	const on = median(rates.on);
	const ratio = on / off;
	const pairs = rates.on.map((r, i) => r / rates.off[i]);
	const pairedRatio = median(pairs);
	const cpuOff = median(cpu.off);
	const cpuOn = median(cpu.on);
	const cpuRatio = cpuOn / cpuOff;
	const us = (x: number): string => `${x.toFixed(1)} µs`;
	const verdict = ratio >= 0.95 ? 'met' : 'missed';
	const verdict2 = (r: number): string =>
		r <= 1.05 ? 'at most 5% more: met' : 'more than 5% more: missed';
	const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(', ');
	return `## Alert evaluation and ingestion throughput

The built server on a fresh database per round, ${fmt(total)} events (half baseline, half pilot, in time order) in batches of ${fmt(batch)} from ${clients} clients over keep-alive connections, with \`ALERTS=off\` and with alerts on (the default loop: a changed pilot is evaluated within a second; a webhook registered on the pilot for every alert type, answered by a receiver in the benchmark process). Before the timing, each server ingests two batches into another pilot, so the code of ingestion and, with alerts on, of an evaluation and a delivery is loaded, as in a server that has been running. The pilot's error guardrail breaches in the first pilot batches and recovers later, so the evaluation finds changes, stores alerts and delivers them. ${rounds} rounds, the two modes alternating (off first in odd rounds, on first in even ones); medians.

| alerts | ingestion | rounds | server CPU per event | rounds |
| --- | --- | --- | --- | --- |
| off | ${fmt(off)} events/s | ${rates.off.map(fmt).join(', ')} | ${us(cpuOff)} | ${cpu.off.map(us).join(', ')} |
| on | ${fmt(on)} events/s | ${rates.on.map(fmt).join(', ')} | ${us(cpuOn)} | ${cpu.on.map(us).join(', ')} |

Ratio on / off: **${ratio.toFixed(3)}** (goal ≥ 0.95, alert evaluation adding at most 5%: ${verdict}); per round ${pairs.map((p) => p.toFixed(2)).join(', ')} (median of the rounds' ratios ${pairedRatio.toFixed(3)}: ${pairedRatio >= 0.95 ? 'met' : 'missed'}). Server CPU per event (user + system, all its threads, from the first batch until 6 s after the last, so the evaluations after it count), on / off: **${cpuRatio.toFixed(3)}** (${verdict2(cpuRatio)}), which a machine shared with other work disturbs less than the throughput. With alerts on, the rounds queued ${fmt(alertsRaised)} deliveries in all, ${fmt(delivered)} delivered (${[...types].sort().join(', ') || 'none'}).

Load average (1, 5, 15 min) before the run ${loads(load0)}, after it ${loads(load1)}.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const arg = (name: string, fallback: number): number => {
		const at = process.argv.indexOf(name);
		return at === -1 ? fallback : Number(process.argv[at + 1]);
	};
	console.log(await benchAlerts({ rounds: arg('--rounds', 7), events: arg('--events', 100_000) }));
}
