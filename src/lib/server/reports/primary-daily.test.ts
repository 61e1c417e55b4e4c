import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type PlanDefinition } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import { transaction } from '../db/statements';
import { storeEvents } from '../ingest/ingest';
import * as plans from '../pilots/plans';
import { dataVersion } from '../stats/data-version';
import { impactReport } from './reports';
import { primaryDaily } from './primary-daily';
import {
	check,
	createPilot,
	eventNumbered,
	fixtureDefinition,
	planOf,
	seedPilot,
	storeLikeTheApi,
	temporaryDatabaseFiles
} from '../../../../tests/support/stored-events';

// The primary metric's days kept per connection and read again only where a batch changed them
// (`daily_versions`): the same points, and the same whole report, as a connection that reads
// everything afresh, whichever connection (instance) stored the batches.

const definition = fixtureDefinition;
/** The same plan with the ratio metric as the primary (its days carry every sum). */
const ratioPrimary = {
	...definition,
	metrics: definition.metrics.map((m) =>
		m.key === 'cost_per_resolved'
			? { ...m, role: 'primary' as const, target: { relative: -0.1 } }
			: m.role === 'primary'
				? { ...m, role: 'secondary' as const, target: undefined }
				: m
	)
};
const now = new Date('2026-10-12T12:00:00Z');

const databaseFile = temporaryDatabaseFiles();

/** Event n, always with the same content; its day is n mod 50 (1 Sept .. 20 Oct 2026, Madrid). */
function eventInput(n: number): Record<string, unknown> {
	const measures: Record<string, number> = {
		handling_minutes: 3 + ((n * 37) % 23) / 2,
		error: n % 4 === 0 ? 1 : 0,
		resolved: n % 7 === 0 ? 0 : 1
	};
	if (n % 2 === 0) measures.cost_eur = 1 + (n % 9);
	if (n % 4 === 1) measures.first_response_minutes = 10 + (n % 13);
	return eventNumbered(n, measures);
}

/** The primary's days as a connection with nothing kept reads them, and its whole report. */
async function fresh(path: string, pilotId: number): Promise<{ daily: unknown; report: unknown }> {
	const db = openDatabase(path);
	try {
		return await read(db, pilotId);
	} finally {
		db.$client.close();
	}
}

async function read(db: Db, pilotId: number): Promise<{ daily: unknown; report: unknown }> {
	const plan = await planOf(db);
	const daily = await transaction(
		db,
		async (tx) => primaryDaily(tx, pilotId, plan, await dataVersion(tx, pilotId)),
		{ readOnly: true }
	);
	return {
		daily,
		report: await impactReport((await plans.readState('email-triage', db))!, now, db)
	};
}

async function store(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	ids: readonly number[]
): Promise<void> {
	const inputs = ids.map(eventInput);
	if (ids[0] % 2 === 0) await storeLikeTheApi(db, pilotId, plan, inputs);
	else await storeEvents(db, pilotId, plan, check(plan, inputs), now);
}

describe("the primary metric's days, read again only where they changed", () => {
	test.each([
		['a mean primary', definition],
		['a ratio primary', ratioPrimary]
	])(
		'%s: equal a fresh read after random batches from two instances and amendments',
		async (_, plan) => {
			await fc.assert(
				fc.asyncProperty(
					fc.array(
						fc.record({
							ids: fc.array(fc.nat(399), { minLength: 1, maxLength: 12 }),
							other: fc.boolean()
						}),
						{ minLength: 1, maxLength: 8 }
					),
					fc.boolean(),
					async (batches, amend) => {
						const path = databaseFile('pilot-impact-daily-');
						const one = openDatabase(path);
						const other = openDatabase(path);
						const pilotId = await createPilot(one, plan);
						expect(await read(one, pilotId)).toEqual(await fresh(path, pilotId));
						for (const [i, batch] of batches.entries()) {
							// A batch stored by this instance or by another one on the same database.
							await store(batch.other ? other : one, pilotId, await planOf(one), batch.ids);
							const got = await read(one, pilotId);
							expect(got).toEqual(await fresh(path, pilotId));
							if (amend && i === 0) {
								// The phases' boundary moves: days change phase, rollups are rebuilt.
								const moved = {
									...plan,
									baselineWindow: { ...plan.baselineWindow, end: '2026-09-20T00:00:00+02:00' },
									pilotWindow: { ...plan.pilotWindow, start: '2026-09-20T00:00:00+02:00' }
								};
								expect((await plans.replace('email-triage', moved, { now, db: other })).ok).toBe(
									true
								);
								expect(await read(one, pilotId)).toEqual(await fresh(path, pilotId));
							}
						}
						// The windows shrink: days leave both, and their rows go.
						const shrunk = {
							...plan,
							baselineWindow: { start: '2026-09-10T00:00:00Z', end: '2026-09-30T22:00:00Z' },
							pilotWindow: { start: '2026-10-01T00:00:00+02:00', end: '2026-10-15T00:00:00+02:00' }
						};
						expect((await plans.replace('email-triage', shrunk, { now, db: other })).ok).toBe(true);
						expect(await read(one, pilotId)).toEqual(await fresh(path, pilotId));
						one.$client.close();
						other.$client.close();
					}
				),
				{ numRuns: 15 }
			);
		},
		120_000
	);

	test('are the same array while nothing changed, a new one after a batch', async () => {
		const db = openDatabase(databaseFile('pilot-impact-daily-'));
		const { pilotId, plan } = await seedPilot(db, definition);
		await store(db, pilotId, plan, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		const days = (): Promise<unknown> =>
			transaction(
				db,
				async (tx) =>
					(await primaryDaily(tx, pilotId, plan, await dataVersion(tx, pilotId))).handling_time,
				{ readOnly: true }
			);
		const first = await days();
		expect(await days()).toBe(first);
		await store(db, pilotId, plan, [60]);
		const second = await days();
		expect(second).not.toBe(first);
		expect(await days()).toBe(second);
		db.$client.close();
	});
});
