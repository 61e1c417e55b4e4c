import { describe, expect, it } from 'vitest';
import type { ChartConfiguration } from 'chart.js';
import { fixturePlan, fixtureReport } from '../../../tests/support/report-fixture';
import { benefitData } from './benefit';
import { benefitConfig, effectPlotConfig, timeSeriesConfig, wrapRowLabel } from './chart-config';
import { Chart } from './chartjs';
import { effectPlotData } from './effect-plot';
import { timeSeriesData } from './time-series';

function typesUsed(config: ChartConfiguration): string[] {
	return [config.type, ...config.data.datasets.map((d) => d.type ?? config.type)];
}

describe('Chart.js configurations', () => {
	it('use only registered controllers and scales, without animation', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const configs = [
			effectPlotConfig(effectPlotData(report.metrics)),
			timeSeriesConfig(
				timeSeriesData({
					metric: report.metrics[0],
					timeZone: 'Europe/Madrid',
					windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
					granularity: 'day',
					points: [],
					baseline: { value: 14, ci95: [13, 15], source: 'events' }
				}),
				{ windows: [] }
			),
			benefitConfig(benefitData({ economics: report.economics, plan: plan.economics }))
		];
		for (const config of configs) {
			expect(config.options?.animation).toBe(false);
			for (const type of typesUsed(config)) {
				expect(() => Chart.registry.getController(type)).not.toThrow();
			}
			for (const scale of Object.values(config.options?.scales ?? {})) {
				expect(() => Chart.registry.getScale(String(scale?.type))).not.toThrow();
			}
		}
	});

	it('effect plot: one interval bar per metric, markers only where known', async () => {
		const report = await fixtureReport();
		const config = effectPlotConfig(effectPlotData(report.metrics));
		const [bars, estimates, targets, tolerances] = config.data.datasets;
		expect(bars.data).toEqual([[20.8, 34.8], [-114.6, 154.6], [-10.6, 54.4], null]);
		expect(estimates.data).toHaveLength(4);
		expect(targets.data).toEqual([{ x: 20, y: 'Handling time (lower is better)' }]);
		expect(tolerances.data).toEqual([{ x: -120, y: 'Error rate (lower is better)' }]);
	});

	it('effect plot: a row label breaks before its note, so narrow charts do not cut names', () => {
		expect(wrapRowLabel('First response, 90th percentile (lower is better)')).toEqual([
			'First response, 90th percentile',
			'(lower is better)'
		]);
		expect(wrapRowLabel('first_response_p90 (lower is better): no interval yet')).toEqual([
			'first_response_p90',
			'(lower is better): no interval yet'
		]);
		expect(wrapRowLabel('Customer satisfaction: no interval yet')).toEqual([
			'Customer satisfaction:',
			'no interval yet'
		]);
		expect(wrapRowLabel('Customer satisfaction')).toBe('Customer satisfaction');
	});

	it('benefit: the payback marker sits on the zero line at the report’s months', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const config = benefitConfig(
			benefitData({ economics: report.economics, plan: plan.economics })
		);
		const payback = config.data.datasets.at(-1)!;
		expect(payback.label).toBe('Payback after 3.2 months');
		expect(payback.data).toEqual([{ x: report.economics.paybackMonths, y: 0 }]);
	});
});
