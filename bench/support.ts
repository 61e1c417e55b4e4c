// What the benchmarks share: the benchmark pilot's plan, a deterministic random generator,
// the built server started on a database file of their own, and how a figure is taken from a
// server process (its CPU time and peak memory) and summed up (median, rounded number).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { PlanInput } from '../src/lib/schemas/plan.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * A pilot as the API's example has it: metrics of every kind, economics, windows (a 3-month
 * baseline and a 3-month pilot). `quantile: false` leaves out the p90 metric, whose values
 * are read one by one.
 */
export function benchPlan({
	slug,
	name,
	quantile = true
}: {
	slug: string;
	name: string;
	quantile?: boolean;
}): PlanInput {
	const plan: PlanInput = {
		slug,
		name,
		process: 'Classify incoming support emails by urgency and area',
		timezone: 'Europe/Madrid',
		baselineWindow: { start: '2026-01-01T00:00:00+01:00', end: '2026-04-01T00:00:00+02:00' },
		pilotWindow: { start: '2026-04-01T00:00:00+02:00', end: '2026-07-01T00:00:00+02:00' },
		economics: {
			currency: 'EUR',
			hourlyCost: 38,
			monthlyVolume: 4000,
			timeRecapture: 0.5,
			costs: { oneOff: 12000, monthly: 900, perCase: 0.02 }
		},
		metrics: [
			{
				key: 'handling_time',
				label: 'Handling time',
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
				key: 'first_response_p90',
				kind: 'quantile',
				quantile: 0.9,
				measure: 'first_response_minutes',
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
	if (!quantile) plan.metrics = plan.metrics.filter((m) => m.kind !== 'quantile');
	return plan;
}

/** A small deterministic generator, so every run measures the same data. */
/** The measures of one benchmark event (four metrics, no quantile), drawn from `uniform`. */
export function benchMeasures(uniform: () => number): Record<string, number> {
	return {
		handling_minutes: Math.round((8 + 10 * uniform()) * 100) / 100,
		error: uniform() < 0.05 ? 1 : 0,
		cost_eur: Math.round(300 * uniform()) / 100,
		resolved: uniform() < 0.9 ? 1 : 0,
		csat: 1 + Math.floor(5 * uniform())
	};
}

export function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

function freePort(): Promise<number> {
	return new Promise((done) => {
		const probe = createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => done(port));
		});
	});
}

/** The built server (`node build`) on its own port and database file, without the demo. */
export async function startServer(
	databasePath: string,
	env: Record<string, string> = {}
): Promise<{ url: string; child: ChildProcess }> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [join(root, 'build/index.js')], {
		cwd: root,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			DATABASE_PATH: databasePath,
			BODY_SIZE_LIMIT: '10M',
			SEED_DEMO: 'false',
			...env
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
	child.kill();
	throw new Error('The built server did not start: run `npm run build` first.');
}

/**
 * One ingestion request through a keep-alive connection of `agent`. The clients share the
 * machine's cores with the server, so they use node:http, which costs them a third of the CPU
 * that fetch does; otherwise the run would measure the clients as much as the server.
 */
export function postEvents(
	agent: http.Agent,
	url: string,
	key: string,
	body: Buffer,
	slug = 'bench'
): Promise<void> {
	const target = new URL(`${url}/api/v1/pilots/${slug}/events`);
	return new Promise<void>((resolve, reject) => {
		const request = http.request(
			{
				agent,
				host: target.hostname,
				port: target.port,
				path: target.pathname,
				method: 'POST',
				headers: {
					authorization: `Bearer ${key}`,
					'content-type': 'application/json',
					'content-length': body.length
				}
			},
			(response) => {
				const parts: Buffer[] = [];
				response.on('data', (part: Buffer) => parts.push(part));
				response.on('end', () => {
					if (response.statusCode === 200) resolve();
					else reject(new Error(`${response.statusCode} ${Buffer.concat(parts)}`));
				});
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}

/**
 * Sends prepared bodies to the `bench` pilot with `clients` requests in flight; the elapsed ms
 * and the CPU time the clients used (this process's, during the sending).
 */
export async function ingestOver(
	url: string,
	key: string,
	prepared: Buffer[],
	clients: number
): Promise<{ ms: number; clientCpuMs: number }> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
	let next = 0;
	const worker = async (): Promise<void> => {
		for (;;) {
			const b = next++;
			if (b >= prepared.length) return;
			await postEvents(agent, url, key, prepared[b]);
		}
	};
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await Promise.all(Array.from({ length: clients }, worker));
	const ms = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	agent.destroy();
	return { ms, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The middle value (the upper one of an even count). */
export const median = (values: readonly number[]): number =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A number rounded and grouped in thousands ("1,234"). */
export const fmt = (x: number): string => Math.round(x).toLocaleString('en');

/** CPU time (user + system, all threads) a process has used, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A process's peak resident memory so far, in MB. */
export function peakRss(pid: number | undefined): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('VmHWM'));
	return Number(/(\d+)/.exec(line ?? '')?.[1]) / 1024;
}
