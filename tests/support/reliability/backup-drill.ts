import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPilot, postEvents, type ApiTarget } from './api';
import { phaseOf, referenceSums, storedFacts, sumsDiff, type TestEvent } from './model';
import { between, randomBatch, seededRandom } from './random';
import { startServer } from '../server';

// The backup drill under load: `npm run backup` runs while clients ingest. The copy must be
// a consistent moment: integrity ok, every batch acknowledged before the backup began, no
// batch in part, rollups equal to its events. Restored, the server reports exactly the
// counts and per-phase statistics the copy holds.

const run = promisify(execFile);
const slug = 'backup-drill';

export interface BackupFigures {
	batchesDuringBackup: number;
	eventsInBackup: number;
	backupMs: number;
}

export async function backupUnderLoad(directory: string, seed: number): Promise<BackupFigures> {
	const key = 'pi_backup-drill-admin-key-0123456789abcdef';
	const databasePath = join(directory, 'live.db');
	const backupPath = join(directory, `backup-${seed}.db`);
	const env = { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0', REQUEST_LOG: 'off' };
	const server = await startServer({ databasePath, env });
	const target: ApiTarget = { url: server.url, key };
	const random = seededRandom(seed);
	const batches: { prefix: string; events: TestEvent[]; acknowledgedAt: number | null }[] = [];
	let backupStartedAt: number;
	let backupMs: number;
	try {
		await createPilot(target, slug);
		let stop = false;
		const client = async (c: number): Promise<void> => {
			for (let b = 0; !stop; b++) {
				const prefix = `c${c}-b${b}`;
				const batch = {
					prefix,
					events: randomBatch(random, prefix, between(random, 1, 300)),
					acknowledgedAt: null as number | null
				};
				batches.push(batch);
				const answer = await postEvents(target, slug, batch.events);
				if (answer.status !== 200) throw new Error(`a batch was refused: ${answer.body}`);
				batch.acknowledgedAt = performance.now();
			}
		};
		const clients = [0, 1, 2].map(client);
		// The backup starts once some batches are stored, however slow the machine: a fixed wait
		// could end before the first one on a busy machine and leave the copy empty.
		const acknowledged = (): number => batches.filter((b) => b.acknowledgedAt !== null).length;
		const waitingSince = performance.now();
		while (acknowledged() < 3) {
			if (performance.now() - waitingSince > 60_000) throw new Error('no batch was stored');
			await new Promise((r) => setTimeout(r, 20));
		}
		backupStartedAt = performance.now();
		await run(process.execPath, ['scripts/backup.js', backupPath], {
			env: { ...process.env, DATABASE_PATH: databasePath }
		});
		backupMs = Math.round(performance.now() - backupStartedAt);
		await new Promise((r) => setTimeout(r, 200));
		stop = true;
		await Promise.all(clients);
	} finally {
		await server.stop();
	}

	const facts = await storedFacts(backupPath, slug);
	const perBatch = new Map<string, number>();
	for (const id of facts.ids) {
		const prefix = id.slice(0, id.lastIndexOf('-'));
		perBatch.set(prefix, (perBatch.get(prefix) ?? 0) + 1);
	}
	const present: TestEvent[] = [];
	const problems: string[] = [];
	let during = 0;
	for (const batch of batches) {
		const count = perBatch.get(batch.prefix) ?? 0;
		if (count === batch.events.length) present.push(...batch.events);
		else if (count > 0)
			problems.push(
				`batch ${batch.prefix} is in the backup in part (${count}/${batch.events.length})`
			);
		if (batch.acknowledgedAt !== null && batch.acknowledgedAt < backupStartedAt && count === 0) {
			problems.push(`batch ${batch.prefix}, acknowledged before the backup, is missing`);
		}
		if (batch.acknowledgedAt !== null && batch.acknowledgedAt >= backupStartedAt) during += 1;
	}
	if (facts.integrity !== 'ok') problems.push(`integrity: ${facts.integrity}`);
	if (present.length !== facts.ids.length) problems.push('the backup holds events of no batch');
	problems.push(
		...sumsDiff(facts.recomputedDailySums, facts.dailySums),
		...sumsDiff(referenceSums(present), facts.phaseSums),
		...sumsDiff(facts.phaseSums, facts.storedPhaseSums),
		...(facts.phaseCasesMatch ? [] : ['phase_cases differ from the events']),
		...sumsDiff(facts.recomputedSegmentSums, facts.segmentSums)
	);
	if (problems.length > 0) throw new Error(problems.join('\n'));

	// Restore: the server on the copy reports what the copy holds.
	const restored = await startServer({ databasePath: backupPath, env });
	try {
		const report = (await (
			await fetch(`${restored.url}/api/v1/pilots/${slug}/impact`, {
				headers: { authorization: `Bearer ${key}` }
			})
		).json()) as {
			cases: Record<'baseline' | 'pilot', Record<'ai' | 'control', number>>;
			metrics: { key: string; baseline: { n: number } | null; pilot: { n: number } | null }[];
		};
		const expected = { baseline: { ai: 0, control: 0 }, pilot: { ai: 0, control: 0 } };
		for (const e of present) expected[phaseOf(e.occurredAt)][e.cohort ?? 'ai'] += 1;
		const restoredProblems: string[] = [];
		if (JSON.stringify(report.cases) !== JSON.stringify(expected)) {
			restoredProblems.push(
				`restored cases ${JSON.stringify(report.cases)}, backup ${JSON.stringify(expected)}`
			);
		}
		const handling = report.metrics.find((m) => m.key === 'handling_time');
		for (const phase of ['baseline', 'pilot'] as const) {
			const n = facts.phaseSums.get(`handling_time|${phase}|ai`)?.n ?? 0;
			if ((handling?.[phase]?.n ?? 0) !== n)
				restoredProblems.push(`restored ${phase} n ${handling?.[phase]?.n}, backup ${n}`);
		}
		if (restoredProblems.length > 0) throw new Error(restoredProblems.join('\n'));
	} finally {
		await restored.stop();
	}
	return { batchesDuringBackup: during, eventsInBackup: facts.ids.length, backupMs };
}
