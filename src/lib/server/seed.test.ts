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
