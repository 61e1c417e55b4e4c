import { describe, expect, test } from 'vitest';
import { transitions } from '$lib/domain/lifecycle';
import { openDatabase } from './db';
import * as pilots from './pilots';
import { seedDemoPortfolio } from './seed';

describe('demo portfolio', () => {
	test(
		'seeds once, deterministically, with every stage represented',
		{ timeout: 30_000 },
		async () => {
			const db = openDatabase(':memory:');
			const seeded = await seedDemoPortfolio(db);
			expect(seeded?.pilots).toBe(6);
			expect(seeded?.accounts.map((a) => a.role)).toEqual([
				'admin',
				'leadership',
				'owner',
				'member'
			]);
			expect(await seedDemoPortfolio(db)).toBeNull();
			const all = pilots.list(db);
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
			expect(strip(pilots.list(again))).toEqual(strip(all));

			// Decided demo pilots keep the report their decision rested on, as the app does.
			const decided = db.$client
				.prepare(
					'SELECT decision, recommended, decided_at, report FROM decisions ORDER BY decided_at'
				)
				.all() as { decision: string; recommended: string; decided_at: string; report: string }[];
			expect(decided.length).toBeGreaterThan(0);
			for (const row of decided) {
				const report = JSON.parse(row.report);
				expect(report.pilot.stage).toBe('running');
				expect(report.generatedAt).toBe(new Date(row.decided_at).toISOString());
				expect(row.recommended).toBe(report.recommendation.decision);
			}
			// The demo's decisions follow their recommendation: none shows as an override.
			expect(decided.map((d) => d.recommended)).toEqual(decided.map((d) => d.decision));
		}
	);

	test(
		'every seeded pilot meets the requirements of the stages it passed',
		{ timeout: 30_000 },
		async () => {
			const db = openDatabase(':memory:');
			await seedDemoPortfolio(db);
			for (const pilot of pilots.list(db)) {
				const { stage: _stage, ...facts } = pilots.lifecycleFacts(pilot, db);
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
		}
	);
});
