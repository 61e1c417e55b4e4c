import { describe, expect, it } from 'vitest';
import { expectFiniteNumbers } from '../../../tests/support/finite';
import { fixtureReport } from '../../../tests/support/report-fixture';
import type { MetricReport } from '../metrics';
import { satisfaction } from '../../../tests/support/plan-fixtures';
import { effectPlotConfig } from './chart-config';
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
			metrics: [...plan.metrics, satisfaction(0.2, 'Customer satisfaction')]
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
		expect(data.table.headers.join(' | ')).toBe(
			'Metric | Better when | Relative change | 95% CI | Target | Tolerance | Verdict'
		);
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

	describe('a guardrail on a small baseline (the contract clause review demo)', async () => {
		// The demo's numbers: review time −30.6% (CI −35.4% to −25.9%, target −25%); contracts
		// with a missed clause 2.26% → 10.9%, +381.8% (CI −77.1% to +840.7%), tolerance 2 pp.
		const [handling, errors] = (await fixtureReport()).metrics;
		const change = (estimate: number, ci95: [number, number]) => ({
			estimate,
			ci95,
			pValue: 0.001,
			standardError: 0.1,
			df: 200
		});
		const metrics: MetricReport[] = [
			{
				...handling,
				relativeChange: change(-0.30645811639549475, [-0.35388373779238735, -0.25903249499860215]),
				target: { relative: -0.25 }
			},
			{
				...errors,
				label: 'Contracts with a missed clause',
				baseline: { ...errors.baseline, value: 0.02262443438914027 },
				relativeChange: change(3.8180094786729857, [-0.7707031735680792, 8.406722130914051]),
				tolerance: { absolute: 0.02 },
				verdict: 'worsened'
			}
		];
		const data = effectPlotData(metrics);
		const [primary, guardrail] = data.rows;
		const width = data.bounds[1] - data.bounds[0];

		it('keeps the primary interval readable: over a fortieth of the axis, not a hundredth', () => {
			expect(primary.cut).toBeNull();
			expect(primary.drawn.ci).toEqual(primary.ci);
			// On an axis stretched to the guardrail's interval (−890% to +130%) it was 1/107.
			expect((primary.ci![1] - primary.ci![0]) / width).toBeGreaterThan(1 / 40);
			// The axis reaches five times the primary's extent (35.4%), rounded out to tens.
			expect(data.bounds).toEqual([-190, 90]);
		});

		it('cuts the guardrail at the edge, marks it, and keeps its real numbers', () => {
			expect(guardrail).toMatchObject({
				improvement: -381.8,
				ci: [-840.7, 77.1],
				tolerance: -88.4,
				cut: 'low',
				label: 'Contracts with a missed clause (lower is better): -381.8%, beyond the axis'
			});
			expect(guardrail.drawn).toEqual({
				improvement: null,
				ci: [-190, 77.1],
				target: null,
				tolerance: -88.4
			});
			expect(data.table.rows[1].slice(2, 4)).toEqual(['+382%', '-77.1% to +841%']);
		});

		it('draws an arrow at the edge where the guardrail runs on, and only there', () => {
			const datasets = effectPlotConfig(data).data.datasets;
			const arrows = datasets.find((d) => d.label === 'Runs past the axis')!;
			expect(arrows.data).toEqual([{ x: -190, y: guardrail.label }]);
			expect((arrows as { pointRotation?: unknown }).pointRotation).toEqual([270]);
			expect(datasets[0].data).toEqual([primary.ci, [-190, 77.1]]);
		});

		it('without the guardrail, the axis is what it always was', () => {
			const alone = effectPlotData([metrics[0]]);
			expect(alone.rows[0].cut).toBeNull();
			expect(alone.bounds).toEqual([-10, 50]);
		});
	});
});
