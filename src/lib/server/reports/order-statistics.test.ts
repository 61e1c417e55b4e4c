import { describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../db';
import { sqlFirst } from '../db/statements';
import * as plans from '../pilots/plans';
import { impactReport } from './reports';
import {
	fixtureDefinition,
	seedPilot,
	storeLikeTheApi,
	temporaryDatabaseFiles
} from '../../../../tests/support/stored-events';

// A quantile metric's order statistics are kept per connection and group between reports, under
// the version stamped on the group's `phase_stats` row by the last change. A count alone would
// not do: a window amendment can take one value out of a group and put another in.

const definition = fixtureDefinition;
const now = new Date('2026-10-12T12:00:00Z');

const databaseFile = temporaryDatabaseFiles();

const event = (id: string, occurredAt: string, minutes: number) => ({
	id,
	occurredAt,
	measures: { handling_minutes: 5, error: 0, first_response_minutes: minutes }
});

const report = async (db: Db) =>
	(await impactReport((await plans.readState('email-triage', db))!, now, db))!;
const baselineP90 = async (db: Db) =>
	(await report(db)).metrics.find((m) => m.key === 'first_response_p90')!.baseline;
const baselineCount = async (db: Db): Promise<number> =>
	(await sqlFirst<{ n: number }>(
		db,
		`SELECT n FROM phase_stats WHERE metric_key = 'first_response_p90' AND phase = 'baseline' AND cohort = 'ai'`
	))!.n;

describe('order statistics kept between reports', () => {
	test("are looked up again when a rebuild changes a group's values but not its count", async () => {
		const path = databaseFile('pilot-impact-order-');
		const one = openDatabase(path);
		const other = openDatabase(path);
		const { pilotId, plan } = await seedPilot(one, definition);
		// Twenty baseline values 1..20 on 3–22 September, a large one on 1 September (it leaves
		// the baseline below) and a small one on 1 October (the pilot's, until the baseline takes it).
		const events = [
			...Array.from({ length: 20 }, (_, i) =>
				event(`b-${i}`, `2026-09-${String(3 + i).padStart(2, '0')}T10:00:00Z`, i + 1)
			),
			event('leaves', '2026-09-01T10:00:00Z', 1000),
			event('enters', '2026-10-01T10:00:00Z', 0.5)
		];
		await storeLikeTheApi(one, pilotId, plan, events);
		const before = await baselineP90(one);
		const count = await baselineCount(one);
		expect(await baselineP90(one)).toEqual(before);

		// Another instance moves the baseline by a day: one value leaves it, one enters.
		const moved = {
			...definition,
			baselineWindow: { start: '2026-09-02T00:00:00+02:00', end: '2026-10-02T00:00:00+02:00' },
			pilotWindow: { start: '2026-10-02T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' }
		};
		expect((await plans.replace('email-triage', moved, { now, db: other })).ok).toBe(true);
		expect(await baselineCount(one)).toBe(count);

		const after = await baselineP90(one);
		expect(after.value).not.toEqual(before.value);
		const fresh = openDatabase(path);
		expect(await report(one)).toEqual(await report(fresh));
		for (const db of [one, other, fresh]) db.$client.close();
	});
});
