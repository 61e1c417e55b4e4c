import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { definitionExtrasSchema } from '$lib/schemas/definition';
import { planSchema } from '$lib/schemas/plan';
import { openDatabase, type Db } from '../db';
import { sqlRows } from '../db/statements';
import * as plans from '../pilots/plans';
import { latest, latestDue, parseSchedule, sendDigestIfDue } from './digest';
import { payloadFor } from './outbox';
import * as webhooks from './webhooks';

process.env.WEBHOOK_SECRET_KEY = randomBytes(32).toString('hex');
const fixture = JSON.parse(readFileSync('tests/fixtures/cli/plan.json', 'utf8'));
const definition = { ...planSchema.parse(fixture), ...definitionExtrasSchema.parse(fixture) };
const origin = 'https://pilots.example.com';

let db: Db;
beforeEach(async () => {
	db = openDatabase(':memory:');
	const created = await plans.create(definition, { now: new Date('2026-10-01T00:00:00Z'), db });
	if (!created.ok) throw new Error(created.detail);
});

describe('the weekly digest', () => {
	test.each([
		// 2026-11-30 is a Monday.
		['mon 08:00', '2026-11-30T09:00:00Z', '2026-11-30T08:00:00.000Z'],
		['mon 08:00', '2026-11-30T07:59:00Z', '2026-11-23T08:00:00.000Z'],
		['fri 17:30', '2026-11-30T09:00:00Z', '2026-11-27T17:30:00.000Z'],
		['nonsense', '2026-12-02T00:00:00Z', '2026-11-30T08:00:00.000Z']
	])('%s at %s closes the period at %s', (schedule, now, due) => {
		expect(latestDue(parseSchedule(schedule), new Date(now)).toISOString()).toBe(due);
	});

	test('is sent once per period to the company-wide webhooks that ask for it', async () => {
		await webhooks.create(
			{ url: 'https://hooks.example.com/d', events: ['digest.weekly'], format: 'json' },
			null,
			{ db }
		);
		await webhooks.create(
			{ url: 'https://hooks.example.com/a', events: ['data.silent'], format: 'json' },
			null,
			{ db }
		);
		const schedule = parseSchedule('mon 08:00');
		const sent = await sendDigestIfDue(schedule, origin, new Date('2026-11-30T09:00:00Z'), db);
		expect(sent?.pilots.map((p) => p.slug)).toEqual(['email-triage']);
		// Later in the same period, or after a restart: nothing more.
		expect(
			await sendDigestIfDue(schedule, origin, new Date('2026-11-30T09:01:00Z'), db)
		).toBeNull();
		expect(
			await sendDigestIfDue(schedule, origin, new Date('2026-12-06T23:00:00Z'), db)
		).toBeNull();
		const rows = await sqlRows<{ type: string; payload: string }>(
			db,
			'SELECT type, payload FROM webhook_deliveries'
		);
		expect(rows.map((r) => r.type)).toEqual(['digest.weekly']);
		expect(JSON.parse(rows[0].payload)).toMatchObject({
			type: 'digest.weekly',
			period: { end: '2026-11-30T08:00:00.000Z' },
			url: `${origin}/digest`
		});
		// The next period sends again.
		expect(
			await sendDigestIfDue(schedule, origin, new Date('2026-12-07T08:00:00Z'), db)
		).not.toBeNull();
		expect((await latest(db))?.period.end).toBe('2026-12-07T08:00:00.000Z');
	});
});

describe('Slack bodies', () => {
	test('name the delivery id in the text and the context, so receivers can deduplicate', async () => {
		await webhooks.create(
			{ url: 'https://hooks.example.com/s', events: ['digest.weekly'], format: 'slack' },
			null,
			{ db }
		);
		await sendDigestIfDue(parseSchedule('mon 08:00'), origin, new Date('2026-11-30T09:00:00Z'), db);
		const [row] = await sqlRows<{ id: string; payload: string }>(
			db,
			'SELECT id, payload FROM webhook_deliveries'
		);
		const body = JSON.parse(row.payload) as {
			text: string;
			blocks: { type: string; elements?: { text: string }[] }[];
		};
		expect(body.text).toContain(row.id);
		expect(body.blocks.find((b) => b.type === 'context')?.elements?.[0].text).toContain(row.id);

		const id = 'dlv_0000-slack';
		const alert = payloadFor(
			id,
			{ type: 'data.silent', title: 'No events for 3 working days', data: {}, createdAt: 'now' },
			{ id: 1, slug: 'email-triage', name: 'Email triage' },
			{ format: 'slack' },
			origin
		);
		const parsed = JSON.parse(alert) as typeof body;
		expect(parsed.text).toContain(id);
		expect(parsed.blocks.find((b) => b.type === 'context')?.elements?.[0].text).toContain(id);
	});
});
