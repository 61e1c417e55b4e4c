import { describe, expect, it } from 'vitest';
import { expectFiniteNumbers } from '../../../tests/support/finite';
import { fixtureReport } from '../../../tests/support/report-fixture';
import { effectPlotData } from './effect-plot';

describe('effectPlotData', () => {
	it('draws improvement to the right, flipping metrics where lower is better', async () => {
		const report = await fixtureReport();
		const data = effectPlotData(report.metrics);
		const handling = data.rows.find((r) => r.key === 'handling_time')!;
		// Handling time fell 27.8% (CI 20.8% to 34.8%): an improvement, so positive.
		expect(handling).toMatchObject({
			label: 'Handling time (lower is better)',
			improvement: 27.8,
			ci: [20.8, 34.8],
			target: 20,
			tolerance: null,
			flipped: true,
			note: null
		});
		expect(data.axisLabel).toContain('sign flipped where lower is better');
	});

	it('puts an absolute guardrail tolerance on the relative scale, on the worse side', async () => {
		const data = effectPlotData((await fixtureReport()).metrics);
		const errors = data.rows.find((r) => r.key === 'error_rate')!;
		// Tolerance 0.3 (absolute) over a baseline rate of 0.25 = 120% of baseline.
		expect(errors.tolerance).toBe(-120);
		expect(errors.improvement).toBe(20);
		expect(errors.ci).toEqual([-114.6, 154.6]);
	});

	it('keeps the point but says "no interval yet" when the interval is missing', async () => {
		const data = effectPlotData((await fixtureReport()).metrics);
		const p90 = data.rows.find((r) => r.key === 'first_response_p90')!;
		expect(p90).toMatchObject({ improvement: 25, ci: null, note: 'no interval yet' });
		expect(p90.label).toBe('first_response_p90 (lower is better): no interval yet');
	});

	it('labels a metric without data "insufficient data" and never emits NaN', async () => {
		const report = await fixtureReport((plan) => ({
			...plan,
			metrics: [
				...plan.metrics,
				{
					key: 'csat',
					label: 'Customer satisfaction',
					kind: 'mean',
					measure: 'csat',
					direction: 'increase',
					role: 'guardrail',
					tolerance: { absolute: 0.2 }
				}
			]
		}));
		const data = effectPlotData(report.metrics);
		const csat = data.rows.find((r) => r.key === 'csat')!;
		expect(csat).toMatchObject({
			label: 'Customer satisfaction: insufficient data',
			improvement: null,
			ci: null,
			tolerance: null,
			flipped: false
		});
		expectFiniteNumbers(data);
		expect(data.table.rows.at(-1)).toEqual([
			'Customer satisfaction',
			'higher is better',
			'not available',
			'no interval yet',
			'—',
			'worse by at most 0.2',
			'Insufficient data'
		]);
	});

	it('keeps zero, every interval, target and tolerance inside the bounds', async () => {
		const data = effectPlotData((await fixtureReport()).metrics);
		const [lo, hi] = data.bounds;
		for (const row of data.rows) {
			for (const x of [row.improvement, row.target, row.tolerance, ...(row.ci ?? [])]) {
				if (x !== null) expect(x >= lo && x <= hi).toBe(true);
			}
		}
		expect(lo).toBeLessThan(0);
		expect(hi).toBeGreaterThan(0);
	});

	it('tabulates each metric as the plan wrote it', async () => {
		const data = effectPlotData((await fixtureReport()).metrics);
		expect(data.table.headers).toEqual([
			'Metric',
			'Better when',
			'Relative change',
			'95% CI',
			'Target',
			'Tolerance',
			'Verdict'
		]);
		expect(data.table.rows[0]).toEqual([
			'Handling time',
			'lower is better',
			'-27.8%',
			'-34.8% to -20.8%',
			'-20% of baseline',
			'—',
			'Improved'
		]);
		expect(data.table.rows[1][5]).toBe('worse by at most 30 pp');
	});
});
