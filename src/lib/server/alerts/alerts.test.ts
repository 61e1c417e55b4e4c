import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { workingDaysBetween } from '$lib/domain/alerts';
import { parseSilentDays } from '$lib/forms/pilot-form';
import { pilotSettingsSchema } from '$lib/schemas/definition';
import { webhookUrlProblem } from '$lib/schemas/webhook';
import type { Db } from '../db';
import { sqlFirst, sqlRows, sqlRun } from '../db/statements';
import { EventChecker } from '../ingest/event-checker';
import { storeEvents } from '../ingest/ingest';
import * as plans from '../pilots/plans';
import { impactReport } from '../reports/reports';
import {
	evaluateDirty,
	evaluatePilot,
	listFor,
	markAllRead,
	saveSettings,
	tick,
	unreadCount
} from './alerts';
import { clockAlerts } from './detect';
import { decryptSecret, encryptSecret } from './secrets';
import { sign, verify } from './signature';
import * as webhooks from './webhooks';
import { databaseWithPilot, fixtureDefinition } from '../../../../tests/support/stored-events';

const definition = fixtureDefinition;
const at = new Date('2026-10-20T08:00:00Z');
const origin = 'https://pilots.example.com';
// The server key, as an operator would give it (else a key file is made beside the database).
process.env.WEBHOOK_SECRET_KEY = randomBytes(32).toString('hex');

let db: Db;
let pilotId: number;
beforeEach(async () => {
	({ db, pilotId } = await databaseWithPilot(definition, at));
});

/** `n` baseline events without errors and `n` pilot events with errors from `from` on. */
async function send(n: number, errorFrom: number, prefix = 'e'): Promise<void> {
	const plan = (await plans.readState('email-triage', db))!.definition!;
	const checker = new EventChecker(plan);
	const inputs = [];
	for (let i = 0; i < n; i++) {
		const day = String(2 + (i % 20)).padStart(2, '0');
		inputs.push({
			id: `${prefix}-b-${i}`,
			occurredAt: `2026-09-${day}T09:00:00+02:00`,
			measures: { handling_minutes: 14 + (i % 5), error: i % 10 === 0 ? 1 : 0 }
		});
		inputs.push({
			id: `${prefix}-p-${i}`,
			occurredAt: `2026-10-${day}T09:00:00+02:00`,
			measures: { handling_minutes: 9 + (i % 5), error: i >= errorFrom || i % 10 === 0 ? 1 : 0 }
		});
	}
	const checked = inputs.map((input, i) => {
		const result = checker.check(i, input);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.event;
	});
	const stored = await storeEvents(db, pilotId, plan, checked, at);
	if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
}

const deliveryCount = async (): Promise<number> =>
	(await sqlFirst<{ n: number }>(db, 'SELECT count(*) AS n FROM webhook_deliveries'))!.n;

describe('alerts on changes of state', () => {
	test('a breached guardrail alerts once, with its numbers, and queues one delivery per webhook', async () => {
		const hook = await webhooks.create(
			{ url: 'https://hooks.example.com/x', events: ['guardrail.breached'], format: 'json' },
			{ id: pilotId, slug: 'email-triage' },
			{ now: at, db }
		);
		expect(await evaluateDirty(origin, at, db)).toEqual([]);
		await send(40, 0);
		const raised = await evaluateDirty(origin, at, db);
		// The breach also changes the recommendation; the webhook asked for breaches only.
		expect(raised.map((a) => a.type)).toEqual(['guardrail.breached', 'recommendation.changed']);
		expect(raised[0].data).toMatchObject({ metric: 'error_rate', status: 'breached' });
		expect(raised[0].data.pilot).toMatchObject({ n: 40, value: 1 });
		expect(raised[0].data.baseline).toMatchObject({ n: 40, value: 0.1 });
		expect(raised[1].data).toMatchObject({ from: 'keep_measuring' });
		expect(await deliveryCount()).toBe(1);
		const payload = JSON.parse(
			(await sqlFirst<{ payload: string }>(db, 'SELECT payload FROM webhook_deliveries'))!.payload
		);
		expect(payload).toMatchObject({
			type: 'guardrail.breached',
			pilot: { slug: 'email-triage', url: `${origin}/pilots/email-triage` }
		});
		expect((await webhooks.deliveries(hook.id, 50, db))[0].status).toBe('pending');
	});

	test('reading the report, or evaluating again without a change, raises nothing', async () => {
		await send(40, 0);
		// A first observation sets the recommendation silently: only the breach alerts.
		expect(await evaluateDirty(origin, at, db)).toHaveLength(1);
		const state = (await plans.readState('email-triage', db))!;
		for (let i = 0; i < 50; i++) await impactReport(state, at, db);
		expect(await evaluateDirty(origin, at, db)).toEqual([]);
		expect(await evaluatePilot(pilotId, origin, at, db)).toEqual([]);
		expect((await sqlFirst<{ n: number }>(db, 'SELECT count(*) AS n FROM alerts'))!.n).toBe(1);
	});

	test('a recovery alerts', async () => {
		await send(40, 0);
		expect((await evaluateDirty(origin, at, db)).map((a) => a.type)).toContain(
			'guardrail.breached'
		);
		await send(2000, 5000, 'ok');
		const recovered = (await evaluateDirty(origin, at, db)).map((a) => a.type);
		expect(recovered).toContain('guardrail.recovered');
	});

	test('the notification list counts unread alerts until the user has seen them', async () => {
		await send(40, 0);
		await evaluateDirty(origin, at, db);
		await sqlRun(
			db,
			"INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('a@x.test', 'A', 'admin', 'x', '2026-01-01')"
		);
		expect(await unreadCount(1, null, db)).toBe(1);
		expect(await unreadCount(1, [], db)).toBe(0);
		expect((await listFor(1, null, 10, db))[0]).toMatchObject({
			type: 'guardrail.breached',
			unread: true
		});
		expect(await unreadCount(1, [pilotId], db)).toBe(1);
		expect(await listFor(1, [pilotId + 1], 10, db)).toEqual([]);
		// The user's settings leave out alert types or pilots.
		await saveSettings(1, { mutedTypes: ['guardrail.breached'], mutedPilots: [] }, db);
		expect(await unreadCount(1, null, db)).toBe(0);
		expect(await listFor(1, null, 10, db)).toEqual([]);
		await saveSettings(1, { mutedTypes: [], mutedPilots: [pilotId] }, db);
		expect(await listFor(1, null, 10, db)).toEqual([]);
		await saveSettings(1, { mutedTypes: [], mutedPilots: [] }, db);
		await markAllRead(1, db);
		expect(await unreadCount(1, null, db)).toBe(0);
		expect((await listFor(1, null, 10, db))[0].unread).toBe(false);
	});
});

describe('clock rules', () => {
	const facts = {
		stage: 'running',
		pilotStart: '2026-10-01T00:00:00Z',
		pilotEnd: '2026-10-22T00:00:00Z',
		lastEventAt: '2026-10-09T15:00:00Z',
		silentDays: 2
	};
	test.each([
		// Friday's events, then the weekend: Monday and Tuesday are not whole days yet.
		['2026-10-13T10:00:00Z', []],
		// Monday and Tuesday have passed without events.
		['2026-10-14T10:00:00Z', ['data.silent']],
		['2026-09-30T10:00:00Z', []],
		['2026-10-22T00:00:00Z', ['decision.due']]
	])('at %s', (now, types) => {
		expect(clockAlerts(facts, new Date(now)).map((a) => a.type)).toEqual(types);
	});
	test('one silence is one key, however often it is looked at', () => {
		const a = clockAlerts(facts, new Date('2026-10-14T10:00:00Z'));
		const b = clockAlerts(facts, new Date('2026-10-16T10:00:00Z'));
		expect(a[0].key).toBe(b[0].key);
	});
	test('a pilot that is not running raises nothing', () => {
		expect(clockAlerts({ ...facts, stage: 'decided' }, new Date('2026-10-30T00:00:00Z'))).toEqual(
			[]
		);
	});
	test('working days skip weekends', () => {
		expect(
			workingDaysBetween(new Date('2026-10-09T12:00:00Z'), new Date('2026-10-19T01:00:00Z'))
		).toBe(5);
	});
});

describe('the pilot’s working days before data.silent', () => {
	const owner = { type: 'user', id: 7, label: 'owner@example.com' } as const;
	const auditRows = (): Promise<{ before: string; after: string }[]> =>
		sqlRows(
			db,
			`SELECT before, after FROM audit_log WHERE action = 'pilot.update' AND after LIKE '%silentDays%'`
		);

	test('are 2 until the owner sets another number, which the silent rule then uses', async () => {
		await sqlRun(db, `UPDATE pilots SET stage = 'running'`);
		expect((await plans.readState('email-triage', db))!.silentDays).toBe(2);
		const saved = await plans.setSilentDays('email-triage', 5, { actor: owner, now: at, db });
		expect(saved.ok && saved.value.silentDays).toBe(5);
		expect(plans.definitionView((await plans.readState('email-triage', db))!).silentDays).toBe(5);
		expect((await auditRows()).map((r) => [JSON.parse(r.before), JSON.parse(r.after)])).toEqual([
			[{ silentDays: 2 }, { silentDays: 5 }]
		]);
		// The same value again changes nothing and records nothing.
		await plans.setSilentDays('email-triage', 5, { actor: owner, now: at, db });
		expect(await auditRows()).toHaveLength(1);

		// The window opened on Thursday 1 October (Madrid) and no event came: by Monday the 5th
		// two working days passed (the default's alert), by Thursday the 8th five.
		expect(await tick(origin, new Date('2026-10-05T10:00:00Z'), db)).toEqual([]);
		expect(await tick(origin, new Date('2026-10-07T10:00:00Z'), db)).toEqual([]);
		const [silent] = await tick(origin, new Date('2026-10-08T10:00:00Z'), db);
		expect(silent).toMatchObject({
			type: 'data.silent',
			data: { workingDays: 5, silentDays: 5, lastEventAt: null }
		});
		// Raised once: later looks at the same silence add nothing.
		expect(await tick(origin, new Date('2026-10-09T10:00:00Z'), db)).toEqual([]);
	});

	test('with the default, the same silence alerts on Monday', async () => {
		await sqlRun(db, `UPDATE pilots SET stage = 'running'`);
		expect((await tick(origin, new Date('2026-10-05T10:00:00Z'), db)).map((a) => a.type)).toEqual([
			'data.silent'
		]);
	});

	test('a PUT without the field leaves it as it is; with it, sets it', async () => {
		await plans.setSilentDays('email-triage', 4, { actor: owner, now: at, db });
		const replaced = await plans.replace('email-triage', definition, { now: at, db });
		expect(replaced.ok && replaced.value.silentDays).toBe(4);
		const again = await plans.replace(
			'email-triage',
			{ ...definition, silentDays: 9 },
			{ now: at, db }
		);
		expect(again.ok && again.value.silentDays).toBe(9);
	});

	test.each([
		['3', 3],
		[' 30 ', 30],
		['1', 1],
		['0', null],
		['31', null],
		['2.5', null],
		['-2', null],
		['two', null],
		['', null]
	])('the form takes %j as %s', (text, expected) => {
		const parsed = parseSilentDays(text);
		expect(parsed.ok ? parsed.value : null).toBe(expected);
		if (!parsed.ok) expect(parsed.error).toBe('Enter a whole number of working days from 1 to 30.');
	});

	test('the API takes { silentDays } alone, a whole number from 1 to 30', () => {
		expect(pilotSettingsSchema.safeParse({ silentDays: 7 }).success).toBe(true);
		for (const body of [
			{ silentDays: 0 },
			{ silentDays: 31 },
			{ silentDays: 1.5 },
			{ silentDays: '3' },
			{},
			{ silentDays: 3, other: 1 }
		]) {
			expect(pilotSettingsSchema.safeParse(body).success).toBe(false);
		}
	});
});

describe('webhook signatures and secrets', () => {
	const body = '{"id":"dlv_1","type":"guardrail.breached"}';
	test('the recipe verifies a signature and refuses a tampered one', () => {
		const header = sign('whsec_abc', body, at);
		expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		expect(verify('whsec_abc', body, header, at)).toBe(true);
		expect(verify('whsec_abc', body.replace('1', '2'), header, at)).toBe(false);
		expect(verify('whsec_abd', body, header, at)).toBe(false);
		expect(verify('whsec_abc', body, header.replace(/v1=./, 'v1=0'), at)).toBe(false);
		// an old delivery replayed later
		expect(verify('whsec_abc', body, header, new Date(at.getTime() + 3_600_000))).toBe(false);
	});
	test('secrets are stored encrypted and read back only with the key', () => {
		const key = randomBytes(32);
		const stored = encryptSecret('whsec_secret', key);
		expect(stored).not.toContain('whsec_secret');
		expect(decryptSecret(stored, key)).toBe('whsec_secret');
		expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
	});
	test.each([
		'https://hooks.example.com/a',
		'http://127.0.0.1:9000/a',
		'http://localhost/a',
		'http://[::1]:8080/'
	])('%s is accepted', (url) => {
		expect(webhookUrlProblem(url)).toBeNull();
	});
	test.each([
		{
			url: 'http://hooks.example.com/a',
			problem: 'url must use https:// (http:// only for loopback addresses)'
		},
		{ url: 'ftp://x/', problem: 'url must use https://' },
		{ url: 'https://user:pw@x.com/', problem: 'url must not carry a user name or password' },
		{ url: 'not a url', problem: 'url must be an absolute URL' }
	])('$url is refused: $problem', ({ url, problem }) => {
		expect(webhookUrlProblem(url)).toBe(problem);
	});
});
