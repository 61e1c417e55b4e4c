import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { fixtureDayStats, fixturePlan, fixtureReport } from '../../../tests/support/report-fixture';
import { mergeAll } from '$lib/metrics';
import { levelOf, seriesPoints } from '$lib/charts/series-points';
import type { TimeSeriesInput } from '$lib/charts/time-series';
import BenefitChart from './BenefitChart.svelte';
import EconomicsSummary from './EconomicsSummary.svelte';
import EffectPlot from './EffectPlot.svelte';
import IntervalBar from './IntervalBar.svelte';
import RecommendationPanel from './RecommendationPanel.svelte';
import TimeSeriesChart from './TimeSeriesChart.svelte';

function text(html: string): string {
	return html
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

// Server rendering must give the whole story without Chart.js: the canvas stays empty until
// the browser draws it, and the "show data" table carries every number.
describe('chart components on the server', () => {
	it('EffectPlot: an empty canvas, a labelled picture and the full table', async () => {
		const report = await fixtureReport();
		const { body } = render(EffectPlot, { props: { metrics: report.metrics } });
		expect(body).toContain('<canvas');
		expect(body).toMatch(
			/role="img" aria-label="Effect plot\. Handling time \(lower is better\): \+27\.8% improvement \(95% CI 20\.8% to 34\.8%\)/
		);
		expect(body).toMatch(/<summary[^>]*>Show data<\/summary>/);
		expect(body).toMatch(/<th scope="col"[^>]*>Relative change<\/th>/);
		expect(body).toContain(
			'first_response_p90 (lower is better): +25% improvement, no interval yet'
		);
		expect(text(body)).toContain('Handling time lower is better -27.8% -34.8% to -20.8%');
		expect(body).not.toMatch(/NaN|undefined/);
	});

	it('TimeSeriesChart: weekly series with the baseline band in the caption', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const rows = await fixtureDayStats('handling_time');
		const baseline = levelOf(
			mergeAll(rows.flatMap((r) => (r.phase === 'baseline' && r.stats ? [r.stats] : []))),
			'mean'
		);
		const input: TimeSeriesInput = {
			metric: report.metrics[0],
			timeZone: plan.timezone!,
			windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
			granularity: 'week',
			points: seriesPoints(rows, 'mean', 'week'),
			baseline: { ...baseline, source: 'events' }
		};
		const { body } = render(TimeSeriesChart, { props: { input } });
		const words = text(body);
		expect(words).toContain('Handling time over time');
		expect(words).toContain('Weekly because days have too few cases');
		expect(words).toMatch(
			/Handling time per week, baseline level 14\.1 min, 95% CI \S+ min to \S+ min/
		);
		expect(words).toContain('Week from Phase Cases Value 95% CI');
		expect(body).toContain('data-chart="series-handling_time"');
	});

	it('BenefitChart: the payback in the caption, or what is missing', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const drawn = render(BenefitChart, {
			props: { input: { economics: report.economics, plan: plan.economics } }
		}).body;
		expect(text(drawn)).toMatch(/payback after 3\.2 months/);
		expect(drawn).toContain('<canvas');

		const missing = await fixtureReport((p) => ({
			...p,
			economics: { ...p.economics, hourlyCost: undefined }
		}));
		const words = text(
			render(BenefitChart, {
				props: { input: { economics: missing.economics, plan: plan.economics } }
			}).body
		);
		expect(words).toContain('The benefit cannot be put in money yet: hourly cost not set');
	});

	it('IntervalBar: SVG with its numbers in words', async () => {
		const report = await fixtureReport();
		const { body } = render(IntervalBar, { props: { metric: report.metrics[0] } });
		expect(body).toContain('<svg');
		expect(body).toContain(
			'aria-label="Handling time: +27.8% improvement, 95% CI +20.8% to +34.8%; target +20%"'
		);
		expect(body).toMatch(/<rect class="ci[^"]*" x="110.8"/);
		const empty = render(IntervalBar, { props: { metric: null } }).body;
		expect(empty).toContain('aria-label="no primary metric"');
		expect(empty).not.toContain('<rect');
	});

	it('RecommendationPanel: decision in words and every reason', async () => {
		const report = await fixtureReport();
		const { body } = render(RecommendationPanel, {
			props: { recommendation: report.recommendation, stage: 'running' }
		});
		expect(body).toContain(`data-decision="${report.recommendation.decision}"`);
		for (const reason of report.recommendation.reasons) {
			expect(text(body)).toContain(text(reason.replace(/&/g, '&amp;')));
		}
		expect(text(body)).toMatch(/^Recommendation: (Scale|Correct|Discard|Keep measuring)/);
	});

	it('RecommendationPanel: before the start, no verdict and no claim of a locked plan', async () => {
		const report = await fixtureReport();
		for (const stage of ['draft', 'baseline']) {
			const { body } = render(RecommendationPanel, {
				props: { recommendation: report.recommendation, stage }
			});
			expect(body).toContain('data-decision="pending"');
			expect(text(body)).toMatch(/^Recommendation: not yet/);
			expect(text(body)).toContain('The pilot has not started');
			expect(text(body)).not.toContain('Computed from the locked plan');
			for (const reason of report.recommendation.reasons) {
				expect(text(body)).not.toContain(text(reason.replace(/&/g, '&amp;')));
			}
		}
	});

	it('EconomicsSummary: every figure with its interval, and what is missing', async () => {
		const report = await fixtureReport();
		const words = text(render(EconomicsSummary, { props: { economics: report.economics } }).body);
		expect(words).toContain('Net benefit per year at scale +€44,760 (95% CI +€27,430 to +€62,090)');
		expect(words).toMatch(/Payback 3\.2 months \(95% CI 2\.\d months to \d\.\d months\)/);
		expect(words).toMatch(/Staff hours saved to date \S+ h \(95% CI/);
		expect(words).not.toContain('cannot be computed yet');

		const thin = await fixtureReport((p) => ({
			...p,
			economics: { ...p.economics, hourlyCost: undefined }
		}));
		const missing = text(render(EconomicsSummary, { props: { economics: thin.economics } }).body);
		expect(missing).toContain('Benefit to date not available');
		expect(missing).toContain('Payback not available');
		expect(missing).not.toContain('does not pay back');
		expect(missing).toContain('Some figures cannot be computed yet: hourly cost not set');
		expect(missing).not.toMatch(/NaN|undefined|null/);
	});
});
