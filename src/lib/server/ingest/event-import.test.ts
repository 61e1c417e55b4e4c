import { beforeEach, describe, expect, test } from 'vitest';
import { importMappingSchema } from '$lib/schemas/import-mapping';
import type { ImportBatch } from '$lib/schemas/import-batch';
import type { Db } from '../db';
import { sqlFirst, sqlRows } from '../db/statements';
import { importBatch } from './event-import';
import * as importProfiles from './import-profiles';
import { at, databaseWithPilot, planOf } from '../../../../tests/support/stored-events';

let db: Db;
let pilotId: number;
beforeEach(async () => {
	({ db, pilotId } = await databaseWithPilot());
});

const importer = { type: 'user' as const, id: 7, label: 'owner@example.com' };
/** Checks or stores `rows` for the pilot, as its owner imports them. */
const importRows = async (mode: ImportBatch['mode'], rows: ImportBatch['rows']) =>
	importBatch(
		{ id: pilotId, slug: 'email-triage' },
		await planOf(db),
		{ mode, rows },
		{ actor: importer, now: at, db }
	);
const row = (line: number, id: string, minutes: number) => ({
	line,
	event: { id, occurredAt: '2026-09-10T08:00:00Z', measures: { handling_minutes: minutes } }
});
const eventCount = async (): Promise<number> =>
	(await sqlFirst<{ n: number }>(db, 'SELECT count(*) AS n FROM events'))!.n;

describe('importBatch', () => {
	test('conflicting ids are left out however many there are; the rest is stored once', async () => {
		const first = Array.from({ length: 300 }, (_, i) => row(i + 2, `t-${i}`, 10));
		expect(await importRows('store', first)).toMatchObject({
			accepted: 300,
			duplicates: 0,
			rejected: []
		});
		// 250 of the same ids with other content, 50 unchanged, 100 new.
		const second = [
			...Array.from({ length: 250 }, (_, i) => row(i + 2, `t-${i}`, 11)),
			...Array.from({ length: 50 }, (_, i) => row(i + 252, `t-${i + 250}`, 10)),
			...Array.from({ length: 100 }, (_, i) => row(i + 302, `n-${i}`, 10))
		];
		const checked = await importRows('check', second);
		expect(checked).toMatchObject({ accepted: 100, duplicates: 50 });
		expect(checked.rejected).toHaveLength(250);
		expect(await eventCount()).toBe(300);

		const stored = await importRows('store', second);
		expect(stored).toMatchObject({ accepted: 100, duplicates: 50 });
		expect(stored.rejected).toHaveLength(250);
		expect(stored.rejected[0]).toEqual({
			line: 2,
			id: 't-0',
			reason: expect.stringContaining('already stored with different content')
		});
		expect(await eventCount()).toBe(400);
	});

	test('a stored batch writes one audit row with its counts; checking writes none', async () => {
		const rows = Array.from({ length: 30 }, (_, i) => row(i + 2, `a-${i}`, 10));
		const audit = () =>
			sqlRows<{ actor_label: string; target_label: string; pilot_id: number; after: string }>(
				db,
				"SELECT actor_label, target_label, pilot_id, after FROM audit_log WHERE action = 'events.import'"
			);
		await importRows('check', rows);
		expect(await audit()).toEqual([]);
		await importRows('store', [...rows, row(40, '', 1)]);
		await importRows('store', rows.slice(0, 5));
		const written = await audit();
		expect(written).toHaveLength(2);
		expect(written[0]).toMatchObject({
			actor_label: 'owner@example.com',
			target_label: 'email-triage',
			pilot_id: pilotId
		});
		expect(written.map((r) => JSON.parse(r.after))).toEqual([
			{ rows: 31, accepted: 30, duplicates: 0, rejected: 1 },
			{ rows: 5, accepted: 0, duplicates: 5, rejected: 0 }
		]);
	});
});

describe('import profiles', () => {
	const mapping = importMappingSchema.parse({
		id: 'Ticket',
		occurredAt: 'Created',
		timezone: 'UTC',
		dateOrder: 'ymd' as const,
		decimalSeparator: '.' as const,
		segment: null,
		cohort: null,
		measures: [
			{ measure: 'handling_minutes', source: { kind: 'number' as const, column: 'Minutes' } }
		]
	});

	test('saved per pilot by name, replaced under the same name, deleted, each step audited', async () => {
		await importProfiles.save(pilotId, { name: 'Zendesk', mapping }, { now: at, db });
		await importProfiles.save(
			pilotId,
			{ name: 'Zendesk', mapping: { ...mapping, timezone: 'Europe/Madrid' } },
			{ now: at, db }
		);
		const [profile, ...rest] = await importProfiles.list(pilotId, db);
		expect(rest).toEqual([]);
		expect(profile.mapping.timezone).toBe('Europe/Madrid');
		expect(await importProfiles.remove(pilotId + 1, profile.id, { now: at, db })).toBe(false);
		expect(await importProfiles.remove(pilotId, profile.id, { now: at, db })).toBe(true);
		expect(await importProfiles.list(pilotId, db)).toEqual([]);
		const actions = await sqlRows<{ action: string }>(
			db,
			"SELECT action FROM audit_log WHERE target_type = 'import_profile' ORDER BY id"
		);
		expect(actions.map((a) => a.action)).toEqual([
			'import_profile.created',
			'import_profile.updated',
			'import_profile.deleted'
		]);
	});
});
