import { join } from 'node:path';
import { createPilot, postEvents, type ApiTarget } from './api';
import { referenceSums, storedFacts, sumsDiff, type TestEvent } from './model';
import { between, randomBatch, seededRandom } from './random';
import { startServer } from '../server';

// The crash drill: the real server ingests from concurrent clients and is killed with
// SIGKILL at a random moment, again and again. After every kill the database file must hold
// every acknowledged batch whole, no batch in part, rollups equal to a recomputation from the
// events, and pass PRAGMA integrity_check. After each restart the clients send again the
// batches whose answer they never saw: each must come back entirely new or entirely duplicate.

export interface CrashFigures {
	kills: number;
	seed: number;
	batchesSent: number;
	batchesAcknowledged: number;
	/** Batches stored whose answer was lost in the kill (committed, then killed). */
	committedUnanswered: number;
	eventsStored: number;
	lost: number;
	partial: number;
	duplicated: number;
}

interface Batch {
	prefix: string;
	events: TestEvent[];
	acknowledged: boolean;
}

const slug = 'crash-drill';

export async function crashDrill(options: {
	directory: string;
	kills: number;
	seed: number;
	clients?: number;
}): Promise<CrashFigures> {
	const random = seededRandom(options.seed);
	const key = 'pi_crash-drill-admin-key-0123456789abcdef';
	const databasePath = join(options.directory, 'crash.db');
	const env = { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0' };
	const batches: Batch[] = [];
	const figures: CrashFigures = {
		kills: 0,
		seed: options.seed,
		batchesSent: 0,
		batchesAcknowledged: 0,
		committedUnanswered: 0,
		eventsStored: 0,
		lost: 0,
		partial: 0,
		duplicated: 0
	};
	let unanswered: Batch[] = [];

	for (let round = 0; round < options.kills; round++) {
		const server = await startServer({ databasePath, env });
		const target: ApiTarget = { url: server.url, key };
		if (round === 0) await createPilot(target, slug);

		for (const batch of unanswered) {
			const answer = await postEvents(target, slug, batch.events);
			const size = batch.events.length;
			if (answer.status !== 200) throw new Error(`a retried batch was refused: ${answer.body}`);
			if (answer.duplicates === size) figures.committedUnanswered += 1;
			else if (answer.accepted !== size) {
				throw new Error(
					`batch ${batch.prefix} was partly stored: ${answer.accepted} new, ${answer.duplicates} duplicates of ${size}`
				);
			}
			batch.acknowledged = true;
		}
		unanswered = [];

		let killed = false;
		const client = async (c: number): Promise<void> => {
			for (let b = 0; !killed; b++) {
				const batch: Batch = {
					prefix: `r${round}-c${c}-b${b}`,
					events: randomBatch(random, `r${round}-c${c}-b${b}`, between(random, 1, 400)),
					acknowledged: false
				};
				batches.push(batch);
				try {
					const answer = await postEvents(target, slug, batch.events);
					if (answer.status !== 200) throw new Error(`a batch was refused: ${answer.body}`);
					batch.acknowledged = true;
				} catch (error) {
					if (!killed) throw error;
					unanswered.push(batch);
				}
			}
		};
		const running = Array.from({ length: options.clients ?? 3 }, (_, c) => client(c));
		await new Promise((r) => setTimeout(r, between(random, 20, 700)));
		killed = true;
		const exit = await server.kill('SIGKILL');
		if (exit.signal !== 'SIGKILL')
			throw new Error(`the server ended before the kill: ${server.output()}`);
		figures.kills += 1;
		await Promise.all(running);
		// A batch whose request was never sent is not "unanswered": it may be retried all the same.
		await checkAfterCrash(databasePath, batches, figures);
	}
	figures.batchesSent = batches.length;
	figures.batchesAcknowledged = batches.filter((b) => b.acknowledged).length;
	return figures;
}

async function checkAfterCrash(
	databasePath: string,
	batches: readonly Batch[],
	figures: CrashFigures
): Promise<void> {
	const facts = await storedFacts(databasePath, slug);
	if (facts.integrity !== 'ok') throw new Error(`integrity_check: ${facts.integrity}`);
	const perBatch = new Map<string, number>();
	for (const id of facts.ids) {
		const prefix = id.slice(0, id.lastIndexOf('-'));
		perBatch.set(prefix, (perBatch.get(prefix) ?? 0) + 1);
	}
	const present: TestEvent[] = [];
	let lost = 0;
	let partial = 0;
	for (const batch of batches) {
		const count = perBatch.get(batch.prefix) ?? 0;
		if (count === batch.events.length) present.push(...batch.events);
		else if (count > 0) partial += 1;
		if (batch.acknowledged && count !== batch.events.length) lost += 1;
	}
	figures.lost = lost;
	figures.partial = partial;
	figures.duplicated = facts.ids.length - new Set(facts.ids).size;
	figures.eventsStored = facts.ids.length;
	const problems = [
		...(lost > 0 ? [`${lost} acknowledged batches missing`] : []),
		...(partial > 0 ? [`${partial} batches partly stored`] : []),
		...(figures.duplicated > 0 ? [`${figures.duplicated} duplicated events`] : []),
		...(present.length !== facts.ids.length
			? [`${facts.ids.length - present.length} events of unknown batches`]
			: []),
		...sumsDiff(facts.recomputedDailySums, facts.dailySums).map((d) => `daily: ${d}`),
		...sumsDiff(referenceSums(present), facts.phaseSums).map((d) => `phase: ${d}`),
		...sumsDiff(facts.phaseSums, facts.storedPhaseSums).map((d) => `phase totals: ${d}`),
		...(facts.phaseCasesMatch ? [] : ['phase_cases differ from the events']),
		...sumsDiff(facts.recomputedSegmentSums, facts.segmentSums).map((d) => `segments: ${d}`),
		...(facts.casesMatch ? [] : ['daily_cases differ from the events']),
		...(facts.quantileValuesMatch ? [] : ['quantile_values differ from the events']),
		...(facts.quantileBucketsMatch ? [] : ['quantile_buckets differ from quantile_values'])
	];
	if (problems.length > 0) throw new Error(`after kill ${figures.kills}: ${problems.join('\n')}`);
}
