import { describe, expect, it } from 'vitest';
import { fixturePlan, fixtureReport } from '../../../tests/support/report-fixture';
import { benefitData } from './benefit';

describe('benefitData', () => {
	it('crosses zero exactly at the report’s payback months', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const data = benefitData({ economics: report.economics, plan: plan.economics });
		expect(data.available).toBe(true);
		const payback = report.economics.paybackMonths!;
		expect(data.payback?.months).toBe(payback);
		// Net is linear in months: interpolate its zero between the months drawn.
		const before = Math.floor(payback);
		const a = data.net[before];
		const b = data.net[before + 1];
		expect(before + -a / (b - a)).toBeCloseTo(payback, 2);
		// One-off 12,000 EUR; 900 a month + 0.02 × 4,000 cases = 980 a month.
		expect(data.cost[0]).toBe(12000);
		expect(data.cost[1]).toBe(12980);
		expect(data.benefit[0]).toBe(0);
		expect(data.months.length).toBe(13);
		expect(data.yLabel).toBe('Cumulative amount (EUR)');
	});

	it('carries the benefit interval into the band and the table', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const data = benefitData({
			economics: report.economics,
			plan: plan.economics,
			startDay: '2026-11-01'
		});
		const perCase = report.economics.benefitPerCase!;
		expect(data.benefitBand[12]![0]).toBeCloseTo(12 * 4000 * perCase.ci95![0]!, 1);
		expect(data.benefitBand[12]![0]).toBeLessThan(data.benefit[12]);
		expect(data.netBand[12]![1]).toBeGreaterThan(data.net[12]);
		expect(data.labels[0]).toBe('Nov 2026');
		expect(data.table.headers).toEqual([
			'Month',
			'Cumulative cost',
			'Cumulative benefit',
			'Benefit 95% CI',
			'Cumulative net'
		]);
		expect(data.table.rows[0]).toEqual([
			'Nov 2026 (start)',
			'€12,000',
			'€0',
			'€0 to €0',
			'-€12,000'
		]);
		expect(data.table.caption).toMatch(
			/payback after 3\.2 months \(95% CI 2\.\d to \d\.\d months\)/
		);
	});

	it('explains what is missing instead of drawing a made-up line', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport((p) => ({
			...p,
			economics: { ...p.economics, hourlyCost: undefined }
		}));
		const data = benefitData({ economics: report.economics, plan: plan.economics });
		expect(data.available).toBe(false);
		expect(data.missing).toContain('hourly cost not set');
		expect(data.net).toEqual([]);
	});
});
