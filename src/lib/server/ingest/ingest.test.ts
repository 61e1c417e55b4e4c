import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeEach, describe, expect, test } from 'vitest';
import { StatsAccumulator, checkEvent, estimatePhase, resolveSettings } from '$lib/metrics';
import { eventSchema } from '$lib/schemas/event';
import type { Db } from '../db';
import { sqlFirst, sqlRun } from '../db/statements';
import { EventChecker } from './event-checker';
import { compareWithStored, storeEvents } from './ingest';
import { type CheckedEvent } from './batch-rollup';
import * as plans from '../pilots/plans';
import * as pilots from '../pilots/pilots';
import { loadDailyStats, loadStats } from '../reports/reports';
import { actorFromLabel } from '../audit/audit';
import {
	at,
	check as checkEvents,
	databaseWithPilot,
	fixtureDefinition,
	planOf
} from '../../../../tests/support/stored-events';

const definition = fixtureDefinition;

let db: Db;
let pilotId: number;
beforeEach(async () => {
	({ db, pilotId } = await databaseWithPilot(definition));
});

const plan = () => planOf(db);

const check = async (inputs: unknown[]): Promise<CheckedEvent[]> =>
	checkEvents(await plan(), inputs);

/** Stores `inputs` as checked for the pilot's current plan, received at `now`. */
const checkAndStore = async (inputs: unknown[], now?: Date) =>
	storeEvents(db, pilotId, await plan(), await check(inputs), now);

const event = (id: string, occurredAt: string, measures: Record<string, number>) => ({
	id,
	occurredAt,
	measures
});

const eventCount = async (): Promise<number> =>
	(await sqlFirst<{ n: number }>(db, 'SELECT count(*) AS n FROM events'))!.n;

describe('storeEvents', () => {
	test('rolls events up per day into the same statistics as the core accumulator', async () => {
		const lines = readFileSync('tests/fixtures/cli/events.ndjson', 'utf8').trim().split('\n');
		const inputs = lines.map((l) => JSON.parse(l));
		const result = await checkAndStore(inputs, at);
		expect(result).toEqual({ ok: true, accepted: inputs.length, duplicates: 0 });

		const accumulator = new StatsAccumulator(await plan());
		for (const input of inputs) {
			const e = eventSchema.parse(input);
			const checked = checkEvent(await plan(), e);
			accumulator.add(e, checked.phase!);
		}
		const expected = accumulator.stats();
		const actual = await loadStats(db, pilotId, await plan());
		expect(actual.cases).toEqual(expected.cases);
		for (const key of Object.keys(expected.metrics)) {
			for (const phase of ['baseline', 'pilot'] as const) {
				for (const cohort of ['ai', 'control'] as const) {
					const e = expected.metrics[key][phase][cohort];
					const a = actual.metrics[key][phase][cohort];
					if (e === null || a === null) expect(a).toEqual(e);
					else if (e.type === 'values') {
						// The app hands over the order statistics the estimate reads, not every value.
						const metric = (await plan()).metrics.find((m) => m.key === key)!;
						const settings = resolveSettings();
						expect(a.type).toBe('order');
						expect(estimatePhase(a, 'quantile', settings, metric.quantile)).toEqual(
							estimatePhase(e, 'quantile', settings, metric.quantile)
						);
					} else {
						for (const [field, value] of Object.entries(e)) {
							if (typeof value === 'number') {
								expect((a as unknown as Record<string, number>)[field]).toBeCloseTo(value, 9);
							} else expect((a as unknown as Record<string, unknown>)[field]).toEqual(value);
						}
					}
				}
			}
		}
	});

	test('per-day statistics add up to the totals the report reads', async () => {
		const lines = readFileSync('tests/fixtures/cli/events.ndjson', 'utf8').trim().split('\n');
		await checkAndStore(
			lines.map((l) => JSON.parse(l)),
			at
		);
		const daily = await loadDailyStats(db, pilotId, await plan());
		const totals = await loadStats(db, pilotId, await plan());
		for (const metric of (await plan()).metrics) {
			for (const phase of ['baseline', 'pilot'] as const) {
				const days = daily[metric.key].filter((d) => d.phase === phase);
				expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
				const total = totals.metrics[metric.key][phase].ai;
				const count = days.reduce(
					(n, d) => n + (d.stats?.type === 'values' ? d.stats.values.length : (d.stats?.n ?? 0)),
					0
				);
				expect(count).toBe(
					total === null ? 0 : total.type === 'values' ? total.values.length : total.n
				);
			}
		}
	});

	test('a retried batch changes nothing and counts duplicates; another spelling of the same instant is the same event', async () => {
		const batch = [
			event('t-1', '2026-09-02T09:00:00+02:00', { handling_minutes: 12, error: 0 }),
			event('t-2', '2026-10-02T09:00:00+02:00', { handling_minutes: 8, error: 1 })
		];
		expect(await checkAndStore(batch, at)).toMatchObject({
			accepted: 2
		});
		const before = await loadStats(db, pilotId, await plan());
		const respelled = [
			event('t-1', '2026-09-02T07:00:00Z', { error: 0, handling_minutes: 12 }),
			batch[1]
		];
		expect(await checkAndStore(respelled, at)).toEqual({
			ok: true,
			accepted: 0,
			duplicates: 2
		});
		expect(await loadStats(db, pilotId, await plan())).toEqual(before);
	});

	test('the same id with other content is refused and the whole batch rolled back', async () => {
		await checkAndStore([event('t-1', '2026-09-02T09:00:00Z', { error: 0 })]);
		const result = await checkAndStore([
			event('t-9', '2026-09-03T09:00:00Z', { error: 0 }),
			event('t-1', '2026-09-02T09:00:00Z', { error: 1 })
		]);
		expect(result).toMatchObject({
			ok: false,
			errors: [{ index: 1, id: 't-1', path: 'events[1].id' }]
		});
		expect(await eventCount()).toBe(1);
	});

	// Inserts go 50 rows to a statement; a group holding a stored id is redone row by row.
	const groupEvent = (n: number, variant = 0) =>
		event(`g-${n}`, `2026-09-${String(1 + (n % 20)).padStart(2, '0')}T09:00:00Z`, {
			handling_minutes: 5 + (n % 7) + variant,
			error: n % 3 === 0 ? 1 : 0
		});

	test('batches larger than an insert group count new events and duplicates as one by one', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uniqueArray(fc.nat(159), { maxLength: 80 }),
				fc.array(fc.nat(159), { minLength: 50, maxLength: 170 }),
				async (first, second) => {
					({ db, pilotId } = await databaseWithPilot(definition));
					await checkAndStore(
						first.map((n) => groupEvent(n)),
						at
					);
					const result = await checkAndStore(
						second.map((n) => groupEvent(n)),
						at
					);
					const fresh = new Set(second.filter((n) => !first.includes(n))).size;
					expect(result).toEqual({
						ok: true,
						accepted: fresh,
						duplicates: second.length - fresh
					});
					const grouped = await loadStats(db, pilotId, await plan());

					// The same events stored one at a time give the same statistics.
					({ db, pilotId } = await databaseWithPilot(definition));
					for (const n of new Set([...first, ...second])) {
						await checkAndStore([groupEvent(n)], at);
					}
					expect(grouped).toEqual(await loadStats(db, pilotId, await plan()));
				}
			),
			{ numRuns: 20 }
		);
	}, 60_000);

	test('a changed event inside an insert group refuses the whole batch', async () => {
		await checkAndStore([groupEvent(7)], at);
		const batch = Array.from({ length: 120 }, (_, n) => groupEvent(n, n === 7 ? 1 : 0));
		expect(await checkAndStore(batch, at)).toMatchObject({
			ok: false,
			errors: [{ index: 7, id: 'g-7', path: 'events[7].id' }]
		});
		expect(await eventCount()).toBe(1);
	});

	test('the checker names the row, the id and the path', async () => {
		const checker = new EventChecker(await plan());
		expect(
			checker.check(3, event('x', '2027-01-01T00:00:00Z', { handling_minutes: 1, csat: 5 }))
		).toMatchObject({
			ok: false,
			errors: [
				{ index: 3, id: 'x', path: 'events[3].occurredAt' },
				{ index: 3, id: 'x', path: 'events[3].measures.csat' }
			]
		});
	});
});

describe('compareWithStored', () => {
	test('tells new, duplicate and conflicting events apart without storing, as storeEvents would', async () => {
		const first = await check([
			event('a', '2026-09-02T09:00:00Z', { handling_minutes: 3 }),
			event('b', '2026-09-02T10:00:00Z', { handling_minutes: 4 })
		]);
		await storeEvents(db, pilotId, await plan(), first, at);
		const next = await check([
			event('a', '2026-09-02T11:00:00+02:00', { handling_minutes: 3 }),
			event('b', '2026-09-02T10:00:00Z', { handling_minutes: 5 }),
			event('c', '2026-09-03T10:00:00Z', { handling_minutes: 6 }),
			event('c', '2026-09-03T10:00:00Z', { handling_minutes: 6 }),
			event('d', '2026-09-03T10:00:00Z', { handling_minutes: 6 }),
			event('d', '2026-09-03T10:00:00Z', { handling_minutes: 7 })
		]);
		const compared = await compareWithStored(db, pilotId, next);
		expect(compared.fresh.map((e) => e.externalId)).toEqual(['c', 'd']);
		expect(compared.duplicates).toBe(2);
		expect(compared.conflicts.map((e) => [e.externalId, e.index])).toEqual([
			['b', 1],
			['d', 5]
		]);
		expect(await eventCount()).toBe(2);
	});
});

describe('EventChecker', () => {
	test("accepts exactly the events the schema and the core's checkEvent accept, with their phase", async () => {
		const stored = await plan();
		const checker = new EventChecker(stored);
		const instant = fc
			.integer({
				min: Date.parse('2026-08-31T00:00:00Z'),
				max: Date.parse('2026-10-23T00:00:00Z')
			})
			.map((t) => new Date(t).toISOString());
		const boundary = fc.constantFrom(
			'2026-09-01T00:00:00+02:00',
			'2026-08-31T21:59:59.999Z',
			'2026-10-01T00:00:00+02:00',
			'2026-10-21T23:59:59+02:00',
			'2026-10-22T00:00:00+02:00'
		);
		const value = fc.oneof(fc.constantFrom(0, 1, 2, 0.5, -1, true, false), fc.double());
		const input = fc.record(
			{
				id: fc.string({ maxLength: 4 }),
				occurredAt: fc.oneof(instant, boundary, fc.constant('yesterday')),
				phase: fc.constantFrom('baseline', 'pilot'),
				cohort: fc.constantFrom('ai', 'control'),
				measures: fc.dictionary(
					fc.constantFrom('handling_minutes', 'error', 'cost_eur', 'resolved', 'unknown'),
					value
				)
			},
			{ requiredKeys: ['occurredAt', 'measures'] }
		);
		fc.assert(
			fc.property(input, (e) => {
				const result = checker.check(0, e);
				const parsed = eventSchema.safeParse(e);
				const expected = parsed.success ? checkEvent(stored, parsed.data).phase : null;
				expect(result.ok ? result.event.phase : null).toBe(expected);
			}),
			{ numRuns: 2000, seed: 20261126 }
		);
		// 2,000 generated events: seconds on a busy machine, more than the default 5 s allows.
	}, 60_000);
});

describe('plans', () => {
	test('after the lock a plan change needs a reason, and is recorded as an amendment', async () => {
		const state = (await plans.readState('email-triage', db))!;
		await sqlRun(db, 'UPDATE plans SET locked_at = ?', at.toISOString());
		const changed = {
			...definition,
			minSamples: 40
		};
		expect(await plans.replace('email-triage', changed, { now: at, db })).toMatchObject({
			ok: false,
			status: 409
		});
		const amended = await plans.replace(
			'email-triage',
			{ ...changed, amendment: { reason: 'More cases needed after a volume drop' } },
			{ actor: actorFromLabel('laura@example.com'), now: at, db }
		);
		expect(amended.ok).toBe(true);
		const after = (await plans.readState('email-triage', db))!;
		expect(after.version).toBe(state.version + 1);
		expect(after.amendments).toEqual([
			{
				at: at.toISOString(),
				reason: 'More cases needed after a volume drop',
				by: 'laura@example.com',
				changed: ['minSamples']
			}
		]);
		// charter-only edits need no reason
		expect(
			(
				await plans.replace(
					'email-triage',
					{ ...changed, process: 'Route support email' },
					{ now: at, db }
				)
			).ok
		).toBe(true);
	});

	test('baseline summaries match the metric kind and lock with the plan', async () => {
		expect(
			await plans.putBaselineSummary(
				'email-triage',
				'handling_time',
				{ n: 180, successes: 3, source: 'Zendesk export' },
				{ now: at, db }
			)
		).toMatchObject({ ok: false, status: 422 });
		expect(
			(
				await plans.putBaselineSummary(
					'email-triage',
					'handling_time',
					{ n: 180, mean: 14.2, sd: 6.1, source: 'Zendesk export' },
					{ now: at, db }
				)
			).ok
		).toBe(true);
		expect((await plans.readState('email-triage', db))!.summaries.handling_time).toMatchObject({
			n: 180,
			mean: 14.2
		});
	});

	test('a plan amendment that moves the windows rebuilds the rollups', async () => {
		await checkAndStore([event('t-1', '2026-09-02T09:00:00Z', { handling_minutes: 10 })]);
		const moved = {
			...definition,
			baselineWindow: { start: '2026-09-05T00:00:00Z', end: '2026-09-30T22:00:00Z' }
		};
		expect((await plans.replace('email-triage', moved, { now: at, db })).ok).toBe(true);
		expect(
			(await loadStats(db, pilotId, (await plans.readState('email-triage', db))!.definition!)).cases
		).toEqual({
			baseline: { ai: 0, control: 0 },
			pilot: { ai: 0, control: 0 }
		});
	});

	test('the pilot form cannot move locked windows; before the lock moving them rebuilds the rollups', async () => {
		await checkAndStore([event('t-1', '2026-09-02T09:00:00Z', { handling_minutes: 10 })]);
		const pilot = (await pilots.read('email-triage', db))!;
		const form = {
			name: pilot.name,
			process: 'Classify incoming support emails',
			timezone: pilot.timezone,
			baselineWindow: pilot.baselineDays,
			pilotWindow: pilot.pilotDays,
			charter: pilot.charter,
			governance: pilot.governance
		};
		const moved = { ...form, baselineWindow: { firstDay: '2026-09-03', lastDay: '2026-09-30' } };
		expect((await pilots.update('email-triage', moved, { now: at, db })).ok).toBe(true);
		expect((await loadStats(db, pilotId, await plan())).cases.baseline.ai).toBe(0);

		await sqlRun(db, 'UPDATE plans SET locked_at = ?', at.toISOString());
		expect(await pilots.update('email-triage', form, { now: at, db })).toMatchObject({
			ok: false,
			status: 409
		});
		// the charter alone still changes
		expect(
			(await pilots.update('email-triage', { ...moved, process: 'Route email' }, { now: at, db }))
				.ok
		).toBe(true);
	});

	test('starting the pilot needs a baseline for the primary metric, and locks the plan', async () => {
		const slug = 'email-triage';
		await sqlRun(
			db,
			"UPDATE pilots SET stage = 'baseline', charter = ?, governance = ?",
			JSON.stringify({
				problem: 'p',
				businessOwner: 'b',
				technicalOwner: 't',
				users: ['u'],
				data: 'd',
				integration: 'i',
				risk: 'r',
				evaluation: 'e',
				roiIndicator: 'handling_time',
				adoption: 'a'
			}),
			JSON.stringify(definition.governance)
		);
		expect(await pilots.changeStage(slug, 'start-pilot', null, { now: at, db })).toMatchObject({
			ok: false,
			errors: [
				{
					path: 'action',
					message: 'The primary metric has no baseline yet (baseline events or an entered summary)'
				}
			]
		});
		await checkAndStore([event('t-1', '2026-09-02T09:00:00Z', { handling_minutes: 10 })]);
		expect((await pilots.changeStage(slug, 'start-pilot', null, { now: at, db })).ok).toBe(true);
		expect((await plans.readState(slug, db))!.lockedAt).toBe(at.toISOString());
	});
});
