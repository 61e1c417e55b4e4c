import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { postgresDatabase, type TestDatabase } from '../support/database';
import { freshDatabase } from '../support/postgres';
import { createPilot, postEvents } from '../support/reliability/api';
import {
	referenceSegmentSums,
	referenceSums,
	storedFacts,
	sumsDiff,
	type TestEvent
} from '../support/reliability/model';
import { between, randomBatch, seededRandom } from '../support/reliability/random';
import { startServer, type RunningServer } from '../support/server';

// Two app instances on one PostgreSQL, as behind a load balancer. Four clients send batches
// that overlap (the same batch from several clients, at once, to either instance), retrying
// through the other instance when one does not answer; one instance is killed with SIGKILL in
// mid-stream and started again. Afterwards: every acknowledged event is stored exactly once, no
// batch is stored in part, the rollups equal a recomputation from the events, and both
// instances serve the same impact report.

const key = 'pi_test-admin-key-for-two-instances-0123';
const env = { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0', REQUEST_LOG: 'off' };
const slug = 'two-instances';
const seed = Number(process.env.FC_SEED ?? 20261129);

let database: TestDatabase;
let dropDatabase = async () => {};
const instances: RunningServer[] = [];

const start = () => startServer({ databasePath: 'instances', database, env });

beforeAll(async () => {
	const created = await freshDatabase(inject('postgresServer'));
	database = postgresDatabase(created.url);
	dropDatabase = created.stop;
	// Both start at once: one migrates while the other waits for it.
	instances.push(...(await Promise.all([start(), start()])));
}, 180_000);

afterAll(async () => {
	await Promise.all(instances.map((instance) => instance.stop()));
	await dropDatabase();
});

interface Batch {
	prefix: string;
	events: TestEvent[];
	acknowledged: boolean;
}

describe('two instances on one PostgreSQL', () => {
	test(
		'overlapping batches with retries, one instance killed and restarted: each acknowledged event stored once',
		{ timeout: 300_000 },
		async () => {
			const random = seededRandom(seed);
			await createPilot({ url: instances[0].url, key }, slug);
			const batches: Batch[] = Array.from({ length: 120 }, (_, b) => ({
				prefix: `b${b}`,
				events: randomBatch(random, `b${b}`, between(random, 1, 300)),
				acknowledged: false
			}));
			const answers = { sent: 0, refused: [] as string[], retried: 0 };
			let killedAt = -1;

			/** Sends one batch until an instance acknowledges it; another instance on failure. */
			const send = async (batch: Batch, first: number): Promise<void> => {
				for (let attempt = 0; attempt < 60; attempt++) {
					const instance = instances[(first + attempt) % instances.length];
					answers.sent += 1;
					try {
						const answer = await postEvents({ url: instance.url, key }, slug, batch.events);
						if (answer.status === 200) {
							// A batch is stored whole or not at all: all new, or (sent before) all duplicates.
							const size = batch.events.length;
							if (answer.accepted !== size && answer.duplicates !== size) {
								answers.refused.push(`${batch.prefix} partly stored: ${answer.body}`);
							}
							batch.acknowledged = true;
							return;
						}
						// A 503 (the database was busy or lost) is worth a retry; anything else is not.
						if (answer.status !== 503) {
							answers.refused.push(`${batch.prefix}: ${answer.status} ${answer.body}`);
							return;
						}
					} catch {
						// the instance is down: next one
					}
					answers.retried += 1;
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			};

			// Client c sends every batch whose number leaves c among its senders: each batch goes
			// out from two clients, to different instances, at about the same time.
			const client = async (c: number): Promise<void> => {
				for (let b = 0; b < batches.length; b++) {
					if (b % 4 !== c && (b + 1) % 4 !== c) continue;
					await send(batches[b], b + c);
				}
			};
			const killer = async (): Promise<void> => {
				while (batches.filter((b) => b.acknowledged).length < batches.length / 3) {
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
				killedAt = batches.filter((b) => b.acknowledged).length;
				const exit = await instances[0].kill('SIGKILL');
				expect(exit.signal).toBe('SIGKILL');
				instances[0] = await start();
			};
			await Promise.all([0, 1, 2, 3].map(client).concat(killer()));

			expect(answers.refused).toEqual([]);
			expect(killedAt).toBeGreaterThan(0);
			expect(killedAt).toBeLessThan(batches.length);
			expect(batches.every((b) => b.acknowledged)).toBe(true);

			const facts = await storedFacts(database, slug);
			const stored = new Set(facts.ids);
			expect(facts.ids.length, 'no event stored twice').toBe(stored.size);
			const sent = batches.flatMap((b) => b.events);
			expect(
				sent.filter((e) => !stored.has(e.id)),
				'every acknowledged event stored'
			).toEqual([]);
			expect(stored.size).toBe(sent.length);
			expect(sumsDiff(referenceSums(sent), facts.phaseSums)).toEqual([]);
			expect(sumsDiff(facts.recomputedDailySums, facts.dailySums)).toEqual([]);
			expect(sumsDiff(facts.phaseSums, facts.storedPhaseSums)).toEqual([]);
			expect(sumsDiff(referenceSegmentSums(sent), facts.segmentSums)).toEqual([]);
			expect(facts).toMatchObject({
				phaseCasesMatch: true,
				casesMatch: true,
				quantileValuesMatch: true,
				quantileBucketsMatch: true
			});

			const reports = await Promise.all(
				instances.map(async (instance) => {
					const response = await fetch(`${instance.url}/api/v1/pilots/${slug}/impact`, {
						headers: { authorization: `Bearer ${key}` }
					});
					expect(response.status).toBe(200);
					const report = (await response.json()) as Record<string, unknown>;
					delete report.generatedAt;
					delete report.pilotDaysElapsed;
					return report;
				})
			);
			expect(reports[1]).toEqual(reports[0]);
		}
	);

	test('a batch partly new through one instance and retried through the other is recognised', async () => {
		const random = seededRandom(seed + 1);
		const events = randomBatch(random, 'across', 50);
		const [a, b] = instances.map((instance) => ({ url: instance.url, key }));
		expect(await postEvents(a, slug, events.slice(0, 20))).toMatchObject({
			status: 200,
			accepted: 20
		});
		expect(await postEvents(b, slug, events)).toMatchObject({
			status: 200,
			accepted: 30,
			duplicates: 20
		});
		expect(await postEvents(a, slug, events)).toMatchObject({
			status: 200,
			accepted: 0,
			duplicates: 50
		});
	});
});

describe('the webhook secret key', () => {
	test('an instance on a shared database without WEBHOOK_SECRET_KEY warns that its key is its own', () => {
		for (const instance of instances) {
			expect(instance.output()).toContain('DATABASE_URL is set but WEBHOOK_SECRET_KEY is not');
		}
	});
});
