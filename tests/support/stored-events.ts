import type { PlanDefinition } from '../../src/lib/schemas/plan';
import type { Db } from '../../src/lib/server/db';
import { BatchBuilder, type CheckedEvent } from '../../src/lib/server/ingest/batch-rollup';
import { EventChecker } from '../../src/lib/server/ingest/event-checker';
import { storeBatch, storeEvents } from '../../src/lib/server/ingest/ingest';
import * as plans from '../../src/lib/server/pilots/plans';

// What the rollup tests share: a pilot of the CLI fixture's plan, and events checked and stored
// the ways the app does, at one fixed moment.

/** When the tests' pilots are created and their batches received. */
export const at = new Date('2026-10-05T08:00:00Z');

/** Creates the pilot of `definition` (slug `email-triage`); its id. */
export async function createPilot(
	db: Db,
	definition: Parameters<typeof plans.create>[0]
): Promise<number> {
	const created = await plans.create(definition, { now: at, db });
	if (!created.ok) throw new Error(created.detail);
	return created.value.pilot.id;
}

/** The stored plan of the tests' pilot. */
export const planOf = async (db: Db): Promise<PlanDefinition> =>
	(await plans.readState('email-triage', db))!.definition!;

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
			else await storeEvents(db, pilotId, plan, check(plan, inputs), at);
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
