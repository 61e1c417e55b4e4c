import { beforeEach, describe, expect, test } from 'vitest';
import { pilotFormSchema, type PilotForm } from '$lib/schemas/pilot';
import { openDatabase, type Db } from '../db';
import * as pilots from './pilots';
import * as plans from './plans';

let db: Db;
beforeEach(() => {
	db = openDatabase(':memory:');
});

const at = new Date('2026-09-01T08:00:00Z');

function form(overrides: Partial<PilotForm> = {}): PilotForm {
	return pilotFormSchema.parse({
		name: 'Email triage assistant',
		process: 'Classify incoming support emails by urgency and area',
		timezone: 'Europe/Madrid',
		charter: {},
		governance: {},
		...overrides
	});
}

const complete = {
	charter: {
		problem: 'Routing by hand',
		businessOwner: 'Laura',
		technicalOwner: 'Jordi',
		users: ['Agents'],
		data: 'Zendesk',
		integration: 'Zendesk',
		risk: 'Misrouting',
		evaluation: 'Weekly review',
		roiIndicator: 'handling_time',
		adoption: 'Start from the queue'
	},
	governance: {
		dataRead: 'Tickets',
		actions: 'Set fields',
		approvalRequired: 'Closing',
		logging: 'Audit trail',
		errorReviewer: 'Lead',
		killSwitch: 'Trigger off'
	},
	baselineWindow: { firstDay: '2026-09-01', lastDay: '2026-09-30' },
	pilotWindow: { firstDay: '2026-10-01', lastDay: '2026-10-21' }
};

/** A plan with a primary metric and a baseline summary for it: what starting needs. */
async function measurable(slug: string): Promise<void> {
	const planned = await plans.replacePlan(
		slug,
		{
			metrics: [
				{
					key: 'handling_time',
					kind: 'mean',
					measure: 'handling_minutes',
					direction: 'decrease',
					role: 'primary'
				}
			],
			minSamples: 30
		},
		null,
		{ now: at, db }
	);
	expect(planned.ok).toBe(true);
	const baseline = { n: 200, mean: 14, sd: 5, source: 'Zendesk export' };
	expect(
		(await plans.putBaselineSummary(slug, 'handling_time', baseline, { now: at, db })).ok
	).toBe(true);
}

describe('pilots service', () => {
	test('creates a draft with a slug from its name and windows stored as UTC instants', async () => {
		const created = await pilots.create(form(complete), null, { now: at, db });
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		expect(created.value).toMatchObject({
			slug: 'email-triage-assistant',
			stage: 'draft',
			baselineStart: '2026-08-31T22:00:00.000Z',
			baselineDays: { firstDay: '2026-09-01', lastDay: '2026-09-30' },
			readinessGaps: []
		});
	});

	test('refuses a duplicate name in any case, and numbers a colliding slug', async () => {
		await pilots.create(form(), null, { now: at, db });
		const duplicate = await pilots.create(form({ name: 'EMAIL TRIAGE ASSISTANT' }), null, {
			now: at,
			db
		});
		expect(duplicate).toMatchObject({ ok: false, status: 409 });
		const similar = await pilots.create(form({ name: 'Email triage assistant!' }), null, {
			now: at,
			db
		});
		expect(similar.ok && similar.value.slug).toBe('email-triage-assistant-2');
		expect(await pilots.count(db)).toBe(2);
	});

	test('never gives a pilot a slug that is a page of its own', async () => {
		const created = await pilots.create(form({ name: 'New' }), null, { now: at, db });
		expect(created.ok && created.value.slug).toBe('new-2');
	});

	test('keeps the slug when the pilot is renamed', async () => {
		await pilots.create(form(), null, { now: at, db });
		const updated = await pilots.update(
			'email-triage-assistant',
			form({ name: 'Support triage' }),
			{
				now: at,
				db
			}
		);
		expect(updated.ok && updated.value).toMatchObject({
			slug: 'email-triage-assistant',
			name: 'Support triage'
		});
		expect(await pilots.update('missing', form(), { now: at, db })).toMatchObject({
			ok: false,
			status: 404
		});
	});

	test('walks the lifecycle only through allowed actions and records the decision', async () => {
		await pilots.create(form(), null, { now: at, db });
		const slug = 'email-triage-assistant';
		expect(await pilots.changeStage(slug, 'start-pilot', null, { now: at, db })).toMatchObject({
			ok: false,
			status: 409
		});
		const blocked = await pilots.changeStage(slug, 'begin-baseline', null, { now: at, db });
		expect(blocked).toMatchObject({
			ok: false,
			errors: expect.arrayContaining([{ path: 'action', message: 'No baseline window set' }])
		});
		expect((await pilots.read(slug, db))?.stage).toBe('draft');

		await pilots.update(slug, form(complete), { now: at, db });
		expect(await pilots.changeStage(slug, 'begin-baseline', null, { now: at, db })).toMatchObject({
			ok: false,
			errors: [{ path: 'action', message: 'The measurement plan has no primary metric' }]
		});
		await measurable(slug);
		expect((await pilots.changeStage(slug, 'begin-baseline', null, { now: at, db })).ok).toBe(true);
		expect((await pilots.changeStage(slug, 'start-pilot', null, { now: at, db })).ok).toBe(true);
		expect(await pilots.changeStage(slug, 'record-decision', null, { now: at, db })).toMatchObject({
			ok: false
		});
		const decided = await pilots.changeStage(
			slug,
			'record-decision',
			{ decision: 'scale', rationale: 'Handling time fell by a third.' },
			{ now: at, db }
		);
		expect(decided.ok && decided.value).toMatchObject({
			stage: 'decided',
			lastDecision: { decision: 'scale', rationale: 'Handling time fell by a third.' }
		});
	});

	test('a pilot without readiness cannot start', async () => {
		await pilots.create(
			form({ ...complete, governance: { ...complete.governance, killSwitch: '' } }),
			null,
			{ now: at, db }
		);
		const slug = 'email-triage-assistant';
		await measurable(slug);
		expect((await pilots.changeStage(slug, 'begin-baseline', null, { now: at, db })).ok).toBe(true);
		expect(await pilots.changeStage(slug, 'start-pilot', null, { now: at, db })).toMatchObject({
			ok: false,
			errors: [{ path: 'action', message: 'Governance: no way to switch it off described' }]
		});
		expect((await pilots.read(slug, db))?.stage).toBe('baseline');
	});
});
