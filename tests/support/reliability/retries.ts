import fc from 'fast-check';
import type { TestDatabase } from '../database';
import { createPilot, postEvents, type ApiTarget } from './api';
import { poolArb } from './arbitraries';
import {
	referenceSegmentSums,
	referenceSums,
	storedFacts,
	sumsDiff,
	type TestEvent
} from './model';

// The retry property: whatever clients send — batches with duplicates inside, in any order,
// tails of earlier batches sent again, several clients at once, sometimes the same events —
// the pilot ends up with each distinct event once, and per-phase n, Σx, Σx² equal the
// reference model's.

/** One client's sends: batches of pool indices, then partial retries of its own batches. */
interface ClientPlan {
	batches: number[][];
	retries: [number, number, number][];
}

const clientArb = (poolSize: number): fc.Arbitrary<ClientPlan> =>
	fc.record({
		batches: fc.array(fc.array(fc.nat({ max: poolSize - 1 }), { minLength: 1, maxLength: 30 }), {
			minLength: 1,
			maxLength: 4
		}),
		retries: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 3 })
	});

const scenarioArb = poolArb(25).chain((pool) =>
	fc.record({
		pool: fc.constant(pool),
		clients: fc.array(clientArb(pool.length), { minLength: 1, maxLength: 4 })
	})
);

/** The requests a client sends, in order: its batches, then reversed slices of them. */
function sendsOf(plan: ClientPlan, pool: readonly TestEvent[]): TestEvent[][] {
	const sends = plan.batches.map((batch) => batch.map((i) => pool[i]));
	for (const [which, from, to] of plan.retries) {
		const batch = sends[which % plan.batches.length];
		const start = from % batch.length;
		const end = Math.max(start, to % batch.length) + 1;
		sends.push(batch.slice(start, end).reverse());
	}
	return sends;
}

export interface RetryFigures {
	runs: number;
	requests: number;
	eventsSent: number;
	seed: number;
	lost: number;
	duplicated: number;
}

export async function checkRetryProperty(
	target: ApiTarget,
	database: string | TestDatabase,
	options: { runs: number; seed: number }
): Promise<RetryFigures> {
	const figures: RetryFigures = {
		runs: 0,
		requests: 0,
		eventsSent: 0,
		seed: options.seed,
		lost: 0,
		duplicated: 0
	};
	await fc.assert(
		fc.asyncProperty(scenarioArb, async ({ pool, clients }) => {
			const slug = `retry-${figures.runs++}`;
			await createPilot(target, slug);
			const answers = await Promise.all(
				clients.map(async (plan) => {
					const out = [];
					for (const send of sendsOf(plan, pool)) {
						out.push({ sent: send.length, answer: await postEvents(target, slug, send) });
					}
					return out;
				})
			);
			const flat = answers.flat();
			const eventsSent = flat.reduce((n, a) => n + a.sent, 0);
			figures.requests += flat.length;
			figures.eventsSent += eventsSent;
			for (const { answer } of flat) {
				if (answer.status !== 200) throw new Error(`a send was refused: ${answer.body}`);
			}
			const sent = new Map<string, TestEvent>();
			for (const plan of clients)
				for (const send of sendsOf(plan, pool)) for (const e of send) sent.set(e.id, e);
			const accepted = flat.reduce((n, a) => n + (a.answer.accepted ?? 0), 0);
			const duplicates = flat.reduce((n, a) => n + (a.answer.duplicates ?? 0), 0);

			// The same id with other content is refused whole: the new event beside it is not stored.
			const first = [...sent.values()][0];
			const conflict = await postEvents(target, slug, [
				// longer than any pool id, so it is new
				{ ...first, id: `fresh-${'x'.repeat(30)}` },
				{ ...first, measures: { ...first.measures, handling_minutes: 999_999 } }
			]);
			figures.requests += 1;
			if (conflict.status !== 422)
				throw new Error(`a conflicting id was not refused: ${conflict.body}`);

			const facts = await storedFacts(database, slug);
			const stored = new Set(facts.ids);
			const lost = [...sent.keys()].filter((id) => !stored.has(id)).length;
			figures.lost += lost;
			figures.duplicated += facts.ids.length - stored.size;
			const problems = [
				...(facts.ids.length !== sent.size
					? [`stored ${facts.ids.length} events, sent ${sent.size} distinct`]
					: []),
				...(lost > 0 ? [`${lost} events lost`] : []),
				...(accepted !== sent.size ? [`answers accepted ${accepted}, distinct ${sent.size}`] : []),
				...(accepted + duplicates !== eventsSent
					? [`accepted ${accepted} + duplicates ${duplicates} ≠ ${eventsSent} events sent`]
					: []),
				...sumsDiff(referenceSums(sent.values()), facts.phaseSums),
				...sumsDiff(facts.phaseSums, facts.storedPhaseSums).map((d) => `phase totals: ${d}`),
				...(facts.phaseCasesMatch ? [] : ['phase_cases differ from the events']),
				...sumsDiff(referenceSegmentSums(sent.values()), facts.segmentSums).map(
					(d) => `segments: ${d}`
				),
				...(facts.quantileBucketsMatch ? [] : ['quantile_buckets differ from quantile_values']),
				...(facts.integrity !== 'ok' ? [`integrity: ${facts.integrity}`] : [])
			];
			if (problems.length > 0) throw new Error(problems.join('\n'));
		}),
		{ numRuns: options.runs, seed: options.seed }
	);
	return figures;
}
