// Part of `npm run bench`, or alone: `node --import tsx bench/report-after-batch.ts [--max 200000]
// [--profile] [--db file] [--recent-days | --both-windows]`. The impact report right after a new
// batch of 1,000 events, in this process (no HTTP, no server): the part of the quantile
// benchmark's "report after a new batch" that is the app's own work. `--profile` writes a CPU
// profile of the reports alone and prints the functions that spent the most time in them.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definitionExtrasSchema } from '../src/lib/schemas/definition.ts';
import { planSchema, type PlanDefinition } from '../src/lib/schemas/plan.ts';
import type { Db } from '../src/lib/server/db/index.ts';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { BatchBuilder } from '../src/lib/server/ingest/batch-rollup.ts';
import { EventChecker } from '../src/lib/server/ingest/event-checker.ts';
import { storeBatch } from '../src/lib/server/ingest/ingest.ts';
import * as plans from '../src/lib/server/pilots/plans.ts';
import { impactReport } from '../src/lib/server/reports/reports.ts';
import { batch, quantilePlan, type Spread } from './quantile-pilot.ts';
import { median, random } from './support.ts';

const now = new Date('2026-06-15T12:00:00Z');

/** Stores a batch as the events API does: checked into columns, then stored. */
export async function store(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	json: string
): Promise<void> {
	const checker = new EventChecker(plan);
	const builder = new BatchBuilder(plan);
	(JSON.parse(json) as { events: unknown[] }).events.forEach((input, i) => {
		const errors = checker.checkInto(builder, i, input);
		if (errors !== null) throw new Error(JSON.stringify(errors));
	});
	const stored = await storeBatch(db, pilotId, plan, builder.batch, now);
	if (!stored.ok) throw new Error(JSON.stringify(stored));
}

/** Time per function over a CPU profile (its own and its callees', once per stack), in ms. */
function inclusiveTimes(profile: Profiler.Profile): Map<string, number> {
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const name = (id: number): string => {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
	};
	const times = new Map<string, number>();
	(profile.samples ?? []).forEach((id, i) => {
		const dt = (profile.timeDeltas?.[i] ?? 0) / 1000;
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(name(at));
		for (const n of seen) times.set(n, (times.get(n) ?? 0) + dt);
	});
	return times;
}

/**
 * One pilot of the quantile benchmark's plan with `events` events stored in-process (over both
 * windows), then `rounds` rounds of a new batch of 1,000 (over `spread`) and the report right
 * after it (and once more,
 * unchanged); medians in ms, of the wall time and of this process's CPU time (user + system:
 * on a machine shared with other work, the steadier of the two).
 */
export async function benchReportAfterBatch({
	events = 200_000,
	rounds = 21,
	profile = false,
	keep = null,
	spread = 'recent days'
}: {
	events?: number;
	rounds?: number;
	profile?: boolean;
	keep?: string | null;
	spread?: Spread;
} = {}): Promise<{
	events: number;
	afterBatch: number;
	afterBatchCpu: number;
	repeated: number;
}> {
	const dir = mkdtempSync(join(tmpdir(), 'pilot-impact-report-after-batch-'));
	const uniform = random(23);
	try {
		// `keep`: a database file loaded by an earlier run, used again (and added to).
		const reuse = keep !== null && existsSync(keep);
		const db = openDatabase(keep ?? join(dir, 'report.db'));
		const input = quantilePlan('report-after-batch', 'Report after a batch');
		if (!reuse) {
			const definition = { ...planSchema.parse(input), ...definitionExtrasSchema.parse(input) };
			const created = await plans.create(definition, { now, db });
			if (!created.ok) throw new Error(created.detail);
		}
		const state = await plans.readState(input.slug, db);
		if (!state?.definition) throw new Error('The benchmark pilot has no plan');
		const { pilot, definition: plan } = state;
		const pilotId = pilot.id;
		let stored = reuse
			? (db.$client
					.prepare('SELECT count(*) FROM events WHERE pilot_id = ?')
					.pluck()
					.get(pilotId) as number)
			: 0;
		for (; stored < events; stored += 10_000) {
			await store(
				db,
				pilotId,
				plan,
				batch(input, stored, Math.min(10_000, events - stored), uniform)
			);
		}
		const report = async () =>
			await impactReport((await plans.readState(input.slug, db))!, now, db);
		for (let i = 0; i < 3; i++) await report();
		const session = profile ? new Session() : null;
		if (session) {
			session.connect();
			await session.post('Profiler.enable');
			await session.post('Profiler.setSamplingInterval', { interval: 100 });
		}
		const afterBatch: number[] = [];
		const afterBatchCpu: number[] = [];
		const repeated: number[] = [];
		for (let round = 0; round < rounds; round++) {
			await store(db, pilotId, plan, batch(input, stored, 1_000, uniform, spread));
			stored += 1_000;
			if (session) await session.post('Profiler.start');
			const cpu0 = process.cpuUsage();
			let t0 = performance.now();
			await report();
			afterBatch.push(performance.now() - t0);
			const cpu = process.cpuUsage(cpu0);
			afterBatchCpu.push((cpu.user + cpu.system) / 1000);
			if (session) {
				const { profile: taken } = await session.post('Profiler.stop');
				for (const [name, t] of inclusiveTimes(taken)) {
					profileTotals.set(name, (profileTotals.get(name) ?? 0) + t / rounds);
				}
			}
			t0 = performance.now();
			await report();
			repeated.push(performance.now() - t0);
		}
		db.$client.close();
		return {
			events,
			afterBatch: median(afterBatch),
			afterBatchCpu: median(afterBatchCpu),
			repeated: median(repeated)
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const profileTotals = new Map<string, number>();

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const at = process.argv.indexOf('--max');
	const events = at === -1 ? 200_000 : Number(process.argv[at + 1]);
	const profile = process.argv.includes('--profile');
	const kept = process.argv.indexOf('--db');
	const keep = kept === -1 ? null : process.argv[kept + 1];
	const spreads: Spread[] = process.argv.includes('--both-windows')
		? ['both windows']
		: process.argv.includes('--recent-days')
			? ['recent days']
			: ['recent days', 'both windows'];
	for (const spread of spreads) {
		const result = await benchReportAfterBatch({ events, profile, keep, spread });
		console.log(
			`In-process report right after a batch of 1,000 (${spread}) at ${events.toLocaleString('en')} events: ` +
				`${result.afterBatch.toFixed(2)} ms, CPU ${result.afterBatchCpu.toFixed(2)} ms ` +
				`(repeated: ${result.repeated.toFixed(2)} ms), median of 21`
		);
	}
	if (profile) {
		const top = [...profileTotals].sort((a, b) => b[1] - a[1]).slice(0, 60);
		for (const [name, t] of top) console.log(`${t.toFixed(3).padStart(8)} ms  ${name}`);
		writeFileSync('report-after-batch.json', JSON.stringify(top));
	}
}
