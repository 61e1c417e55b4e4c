import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, expect } from 'vitest';
import { definitionExtrasSchema } from '../../src/lib/schemas/definition';
import { planSchema, type PlanDefinition } from '../../src/lib/schemas/plan';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { BatchBuilder, type CheckedEvent } from '../../src/lib/server/ingest/batch-rollup';
import { EventChecker } from '../../src/lib/server/ingest/event-checker';
import { storeBatch, storeEvents } from '../../src/lib/server/ingest/ingest';
import * as plans from '../../src/lib/server/pilots/plans';
import type { QuantileGroup } from '../../src/lib/server/stats/quantile-buckets';

// What the rollup tests share: a pilot of the CLI fixture's plan, and events checked and stored
// the ways the app does, at one fixed moment.

/** When the tests' pilots are created and their batches received. */
export const at = new Date('2026-10-05T08:00:00Z');

const fixture: unknown = JSON.parse(readFileSync('tests/fixtures/cli/plan.json', 'utf8'));
/** The CLI fixture's plan as a pilot's definition (slug `email-triage`). */
export const fixtureDefinition = {
	...planSchema.parse(fixture),
	...definitionExtrasSchema.parse(fixture)
};

/** Creates the pilot of `definition` (slug `email-triage`) at `now`; its id. */
export async function createPilot(
	db: Db,
	definition: Parameters<typeof plans.create>[0],
	now: Date = at
): Promise<number> {
	const created = await plans.create(definition, { now, db });
	if (!created.ok) throw new Error(created.detail);
	return created.value.pilot.id;
}

/** The stored plan of the tests' pilot. */
export const planOf = async (db: Db): Promise<PlanDefinition> =>
	(await plans.readState('email-triage', db))!.definition!;

/** Creates the pilot of `definition` in `db`: its id and its plan as stored. */
export async function seedPilot(
	db: Db,
	definition: Parameters<typeof plans.create>[0] = fixtureDefinition
): Promise<{ pilotId: number; plan: PlanDefinition }> {
	const pilotId = await createPilot(db, definition);
	return { pilotId, plan: await planOf(db) };
}

/** A new in-memory database holding the pilot of `definition`, created at `now`. */
export async function databaseWithPilot(
	definition: Parameters<typeof plans.create>[0] = fixtureDefinition,
	now: Date = at
): Promise<{ db: Db; pilotId: number }> {
	const db = openDatabase(':memory:');
	return { db, pilotId: await createPilot(db, definition, now) };
}

/**
 * Event n with `measures`, always with the same content so that a second send of it is a
 * duplicate: its day is n mod 50 (1 Sept .. 20 Oct 2026, Madrid: both windows), every ninth
 * event is of the control cohort, and `segment` (null: none) is sent as given.
 */
export function eventNumbered(
	n: number,
	measures: Record<string, number>,
	segment: string | null = null
): Record<string, unknown> {
	const date = new Date(Date.UTC(2026, 8, 1 + (n % 50), 6 + (n % 11), (n * 7) % 60));
	return {
		id: `e-${n}`,
		occurredAt: date.toISOString(),
		...(segment === null ? {} : { segment }),
		...(n % 9 === 0 ? { cohort: 'control' } : {}),
		measures
	};
}

/**
 * Event n with the fixture plan's measures, each left out of some events so that the metrics
 * count different events (and never none); `segment` as in eventNumbered.
 */
export function partialEvent(n: number, segment: string | null = null): Record<string, unknown> {
	const measures: Record<string, number> = {};
	if (n % 5 !== 0) measures.handling_minutes = 3 + ((n * 37) % 23) / 2;
	if (n % 3 !== 1) measures.error = n % 4 === 0 ? 1 : 0;
	if (n % 2 === 0) measures.cost_eur = 1 + (n % 9);
	if (n % 6 !== 3) measures.resolved = n % 7 === 0 ? 0 : 1;
	if (n % 4 === 1) measures.first_response_minutes = 10 + (n % 13);
	if (Object.keys(measures).length === 0) measures.handling_minutes = 4;
	return eventNumbered(n, measures, segment);
}

/** The events as the import path checks them, failing the test on any refusal. */
export function check(plan: PlanDefinition, inputs: unknown[]): CheckedEvent[] {
	const checker = new EventChecker(plan);
	return inputs.map((input, i) => {
		const result = checker.check(i, input);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.event;
	});
}

/** As the events API stores a batch: checked into columns, then stored. */
export async function storeLikeTheApi(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	inputs: unknown[]
): Promise<void> {
	const checker = new EventChecker(plan);
	const builder = new BatchBuilder(plan);
	inputs.forEach((input, i) => {
		const errors = checker.checkInto(builder, i, input);
		if (errors !== null) throw new Error(JSON.stringify(errors));
	});
	const stored = await storeBatch(db, pilotId, plan, builder.batch, at);
	if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
}

/** As an import stores events: each checked on its own, then all stored together. */
export async function storeLikeTheImport(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	inputs: unknown[]
): Promise<void> {
	await storeEvents(db, pilotId, plan, check(plan, inputs), at);
}

/**
 * Sends the events of `ids` (each made by `toInput`; ids may repeat) in batches of the given
 * sizes, stored by the API's path and the import's in turn, some batches sent twice.
 */
export async function sendBatches(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	ids: readonly number[],
	sizes: readonly number[],
	retries: readonly boolean[],
	toInput: (n: number) => unknown
): Promise<void> {
	let start = 0;
	for (let b = 0; start < ids.length; b++) {
		const size = sizes[b % sizes.length];
		const inputs = ids.slice(start, start + size).map(toInput);
		start += size;
		const store = async (): Promise<void> => {
			if (b % 2 === 0) await storeLikeTheApi(db, pilotId, plan, inputs);
			else await storeLikeTheImport(db, pilotId, plan, inputs);
		};
		await store();
		if (retries[b % retries.length]) await store();
	}
}

/** The definition amended to narrower windows: some events leave, the rollups are rebuilt. */
export function withMovedWindows<D extends object>(definition: D): D {
	return {
		...definition,
		baselineWindow: { start: '2026-09-10T00:00:00Z', end: '2026-09-30T22:00:00Z' },
		pilotWindow: { start: '2026-10-01T00:00:00+02:00', end: '2026-10-15T00:00:00+02:00' }
	};
}

/**
 * `expectStored` holds after random batches of `definition`'s pilot (ids in random order and
 * repeated: duplicates within and across batches, some batches sent again), after an amendment
 * that moves the windows (some events leave, the rollups are rebuilt), and after one that drops
 * the ratio metric (its rows go).
 */
export async function expectAfterRandomBatches(
	definition: Parameters<typeof plans.create>[0],
	toInput: (n: number) => unknown,
	expectStored: (db: Db, pilotId: number, plan: PlanDefinition) => void | Promise<void>
): Promise<void> {
	await fc.assert(
		fc.asyncProperty(
			fc.array(fc.nat(299), { minLength: 1, maxLength: 400 }),
			fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 8 }),
			fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
			async (ids, sizes, retries) => {
				const { db, pilotId } = await databaseWithPilot(definition);
				await sendBatches(db, pilotId, await planOf(db), ids, sizes, retries, toInput);
				await expectStored(db, pilotId, await planOf(db));
				const moved = withMovedWindows(definition);
				expect((await plans.replace('email-triage', moved, { now: at, db })).ok).toBe(true);
				await expectStored(db, pilotId, await planOf(db));
				const fewer = { ...moved, metrics: moved.metrics.filter((m) => m.kind !== 'ratio') };
				expect((await plans.replace('email-triage', fewer, { now: at, db })).ok).toBe(true);
				await expectStored(db, pilotId, await planOf(db));
				db.$client.close();
			}
		),
		{ numRuns: 25 }
	);
}

/**
 * A maker of temporary folders (named from `prefix`), each removed after the test that made it;
 * called once at the top of a test file.
 */
export function temporaryDirs(): (prefix: string) => string {
	const made: string[] = [];
	afterEach(() => {
		for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
	});
	return (prefix) => {
		const dir = mkdtempSync(join(tmpdir(), prefix));
		made.push(dir);
		return dir;
	};
}

/**
 * A maker of database file paths, each in a temporary folder (named from `prefix`) removed
 * after the test that made it, for tests that open one database on several connections;
 * called once at the top of a test file.
 */
export function temporaryDatabaseFiles(): (prefix: string) => string {
	const temporaryDir = temporaryDirs();
	return (prefix) => join(temporaryDir(prefix), 'pilot-impact.db');
}

/** The stored values of one quantile group, in order: what a rank lookup must agree with. */
export function sortedValues(db: Db, pilotId: number, group: QuantileGroup): number[] {
	return db.$client
		.prepare(
			`SELECT value FROM quantile_values WHERE pilot_id = ? AND metric_key = ? AND phase = ?
			 AND cohort = ? ORDER BY value`
		)
		.pluck()
		.all(pilotId, group.metricKey, group.phase, group.cohort) as number[];
}
