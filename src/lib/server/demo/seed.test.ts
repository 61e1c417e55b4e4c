import { describe, expect, test } from 'vitest';
import { transitions } from '$lib/domain/lifecycle';
import { openDatabase } from '../db';
import { sqlFirst, sqlRows } from '../db/statements';
import type { PhaseStats } from '$lib/metrics';
import * as pilots from '../pilots/pilots';
import * as plans from '../pilots/plans';
import { impactReport, loadSegmentStats } from '../reports/reports';
import { seedDemoPortfolio } from './seed';
import { demoDatabase } from '../../../../tests/support/demo';

describe('demo portfolio', () => {
	test('is seeded whole or not at all', async () => {
		const db = openDatabase(':memory:');
		// The first decision fails, after pilots, accounts, plans and events were written.
		db.$client.exec(
			`CREATE TRIGGER refuse_decisions BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'refused'); END`
		);
		await expect(seedDemoPortfolio(db)).rejects.toThrow('refused');
		const count = async (table: string): Promise<number> =>
			(await sqlFirst<{ n: number }>(db, `SELECT count(*) AS n FROM ${table}`))!.n;
		expect([
			await count('pilots'),
			await count('users'),
			await count('events'),
			await count('audit_log')
		]).toEqual([0, 0, 0, 0]);
		expect(db.$client.inTransaction).toBe(false);
		db.$client.exec('DROP TRIGGER refuse_decisions');
		expect((await seedDemoPortfolio(db))?.pilots).toBe(6);
	});

	test('seeds once, deterministically, with every stage represented', async () => {
		const db = openDatabase(':memory:');
		const seeded = await seedDemoPortfolio(db);
		expect(seeded?.pilots).toBe(6);
		expect(seeded?.accounts.map((a) => a.role)).toEqual(['admin', 'leadership', 'owner', 'member']);
		expect(await seedDemoPortfolio(db)).toBeNull();
		const all = await pilots.list(db);
		expect(new Set(all.map((p) => p.stage))).toEqual(
			new Set(['draft', 'baseline', 'running', 'decided'])
		);

		const again = openDatabase(':memory:');
		await seedDemoPortfolio(again);
		const strip = (list: typeof all) =>
			list.map((pilot) => ({
				...pilot,
				id: 0,
				lastDecision: pilot.lastDecision && { ...pilot.lastDecision, id: 0, pilotId: 0 }
			}));
		expect(strip(await pilots.list(again))).toEqual(strip(all));

		// Decided demo pilots keep the report their decision rested on, as the app does.
		const decided = await sqlRows<{
			decision: string;
			recommended: string;
			decided_at: string;
			report: string;
		}>(db, 'SELECT decision, recommended, decided_at, report FROM decisions ORDER BY decided_at');
		expect(decided.length).toBeGreaterThan(0);
		for (const row of decided) {
			const report = JSON.parse(row.report);
			expect(report.pilot.stage).toBe('running');
			expect(report.generatedAt).toBe(new Date(row.decided_at).toISOString());
			expect(row.recommended).toBe(report.recommendation.decision);
		}
		// The demo's decisions follow their recommendation: none shows as an override.
		expect(decided.map((d) => d.recommended)).toEqual(decided.map((d) => d.decision));
	});

	test('every seeded pilot meets the requirements of the stages it passed', async () => {
		const db = await demoDatabase();
		for (const pilot of await pilots.list(db)) {
			const { stage: _stage, ...facts } = await pilots.lifecycleFacts(pilot, db);
			void _stage;
			const passed = transitions.filter(
				(t) =>
					t.action !== 'reopen-draft' &&
					['draft', 'baseline', 'running', 'decided'].indexOf(t.to) <=
						['draft', 'baseline', 'running', 'decided'].indexOf(pilot.stage)
			);
			for (const t of passed) {
				expect(t.unmet({ stage: t.from, ...facts }), `${pilot.name}: ${t.action}`).toEqual([]);
			}
			if (pilot.stage === 'decided') expect(pilot.lastDecision).not.toBeNull();
		}
	});

	test('pilots with events split them into segments; in email triage billing errors rise while the total does not breach', async () => {
		const db = await demoDatabase();
		for (const pilot of await pilots.list(db)) {
			const state = (await plans.readState(pilot.slug, db))!;
			const cases = (await sqlFirst<{ n: number }>(
				db,
				'SELECT count(*) AS n FROM events WHERE pilot_id = ?',
				state.pilot.id
			))!.n;
			if (cases === 0 || !state.definition) continue;
			const segments = await loadSegmentStats(db, state.pilot.id, state.definition);
			expect(Object.keys(segments).length, pilot.name).toBeGreaterThanOrEqual(3);
		}

		const state = (await plans.readState('email-triage-assistant', db))!;
		const report = (await impactReport(state, new Date('2026-10-22T12:00:00Z'), db))!;
		// The total does not breach the guardrail; the recommendation names the segment that does.
		expect(report.metrics.find((m) => m.key === 'error_rate')?.guardrail).not.toBe('breached');
		const errors = report.segments.find((b) => b.metricKey === 'error_rate')!;
		expect(errors.segments.find((s) => s.segment === 'billing')?.guardrail).toBe('breached');
		expect(report.recommendation.decision).toBe('correct');
		expect(report.recommendation.reasons.join(' ')).toMatch(
			/Misrouted tickets is breached in segment billing/
		);
		const rate = (s: PhaseStats | null): { p: number; n: number } => {
			if (s?.type !== 'moments') throw new Error('a proportion has moments');
			return { p: s.sum / s.n, n: s.n };
		};
		const billing = (await loadSegmentStats(db, state.pilot.id, state.definition!)).billing
			.error_rate;
		const before = rate(billing.baseline);
		const after = rate(billing.pilot);
		const se = Math.sqrt(
			(before.p * (1 - before.p)) / before.n + (after.p * (1 - after.p)) / after.n
		);
		// More than 3 standard errors beyond the guardrail's tolerance of 2 points.
		expect((after.p - before.p - 0.02) / se).toBeGreaterThan(3);
	});
});
