import type { PlanDefinition } from '../../src/lib/schemas/plan';
import type { Db } from '../../src/lib/server/db';
import { BatchBuilder, type CheckedEvent } from '../../src/lib/server/ingest/batch-rollup';
import { EventChecker } from '../../src/lib/server/ingest/event-checker';
import { storeBatch } from '../../src/lib/server/ingest/ingest';
import * as plans from '../../src/lib/server/pilots/plans';

// What the rollup tests share: a pilot of the CLI fixture's plan, and events checked and stored
// the ways the app does, at one fixed moment.

/** When the tests' pilots are created and their batches received. */
export const at = new Date('2026-10-05T08:00:00Z');

/** Creates the pilot of `definition` (slug `email-triage`); its id. */
export function createPilot(db: Db, definition: Parameters<typeof plans.create>[0]): number {
	const created = plans.create(definition, { now: at, db });
	if (!created.ok) throw new Error(created.detail);
	return created.value.pilot.id;
}

/** The stored plan of the tests' pilot. */
export const planOf = (db: Db): PlanDefinition => plans.readState('email-triage', db)!.definition!;

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
export function storeLikeTheApi(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	inputs: unknown[]
): void {
	const checker = new EventChecker(plan);
	const builder = new BatchBuilder(plan);
	inputs.forEach((input, i) => {
		const errors = checker.checkInto(builder, i, input);
		if (errors !== null) throw new Error(JSON.stringify(errors));
	});
	const stored = storeBatch(db, pilotId, plan, builder.batch, at);
	if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
}
