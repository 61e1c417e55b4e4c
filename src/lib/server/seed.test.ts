import { describe, expect, test } from 'vitest';
import { transitions } from '$lib/domain/lifecycle';
import { openDatabase } from './db';
import * as pilots from './pilots';
import { seedDemoPortfolio } from './seed';

describe('demo portfolio', () => {
	test('seeds once, deterministically, with every stage represented', () => {
		const db = openDatabase(':memory:');
		expect(seedDemoPortfolio(db)).toBe(6);
		expect(seedDemoPortfolio(db)).toBe(0);
		const all = pilots.list(db);
		expect(new Set(all.map((p) => p.stage))).toEqual(
			new Set(['draft', 'baseline', 'running', 'decided'])
		);

		const again = openDatabase(':memory:');
		seedDemoPortfolio(again);
		const strip = (list: typeof all) =>
			list.map((pilot) => ({
				...pilot,
				id: 0,
				lastDecision: pilot.lastDecision && { ...pilot.lastDecision, id: 0, pilotId: 0 }
			}));
		expect(strip(pilots.list(again))).toEqual(strip(all));
	});

	test('every seeded pilot meets the requirements of the stages it passed', () => {
		const db = openDatabase(':memory:');
		seedDemoPortfolio(db);
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
	});
});
