import { describe, expect, test } from 'vitest';
import { auditLog } from '../db/schema';
import { rows } from '../db/statements';
import * as plans from './plans';
import { demoDatabase } from '../../../../tests/support/demo';
import { actorFromLabel } from '../audit/audit';

describe('plan and baseline changes in the audit log', () => {
	test('a baseline summary and a plan change are recorded with who, before and after', async () => {
		const db = await demoDatabase();
		const slug = 'internal-faq-answers';
		const saved = await plans.putBaselineSummary(
			slug,
			'resolution_time',
			{ n: 180, mean: 42, sd: 18, source: 'Helpdesk export, October' },
			{
				actor: actorFromLabel('owner@demo.pilot-impact.test'),
				now: new Date('2026-11-20T10:00:00Z'),
				db
			}
		);
		expect(saved.ok).toBe(true);
		const state = (await plans.readState(slug, db))!;
		const changed = await plans.replacePlan(slug, { ...state.stored!, minSamples: 40 }, null, {
			actor: actorFromLabel('pi_abcdefgh'),
			now: new Date('2026-11-21T10:00:00Z'),
			db
		});
		expect(changed.ok).toBe(true);

		const entries = (await rows(db.select().from(auditLog))).filter(
			(e) => e.pilotId === state.pilot.id
		);
		const baseline = entries.find((e) => e.action === 'baseline.set')!;
		expect(baseline).toMatchObject({
			actorType: 'user',
			actorLabel: 'owner@demo.pilot-impact.test'
		});
		expect(baseline.after).toMatchObject({
			n: 180,
			mean: 42,
			source: 'Helpdesk export, October'
		});
		const plan = entries.find((e) => e.action === 'plan.update')!;
		expect(plan).toMatchObject({ actorType: 'api_key', actorLabel: 'pi_abcdefgh' });
		expect((plan.before as { minSamples: number }).minSamples).toBe(30);
		expect((plan.after as { minSamples: number }).minSamples).toBe(40);
	});
});
