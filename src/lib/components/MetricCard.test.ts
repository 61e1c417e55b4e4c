import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../../../tests/support/report-fixture';
import type { ImpactReport, MetricReport } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import MetricCard from './MetricCard.svelte';

function card(report: ImpactReport, key: string): { html: string; text: string } {
	const metric = report.metrics.find((m) => m.key === key) as MetricReport;
	const { body } = render(MetricCard, {
		props: { metric, minSamples: report.settings.minSamples }
	});
	const text = body
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return { html: body, text };
}

/** Each phrase, one a line in `phrases`, stands somewhere in the card's text. */
function expectPhrases(text: string, phrases: string): void {
	for (const phrase of phrases.split('\n')) expect(text).toContain(phrase.trim());
}

const withCsat = (plan: PlanDefinition): PlanDefinition => ({
	...plan,
	metrics: [
		...plan.metrics,
		{
			key: 'csat',
			label: 'Customer satisfaction',
			unit: 'points',
			kind: 'mean',
			measure: 'csat',
			direction: 'increase',
			role: 'guardrail',
			tolerance: { absolute: 0.2 }
		}
	]
});

describe('MetricCard', () => {
	it('improved: values, change with its interval, target met', async () => {
		const { html, text } = card(await fixtureReport(), 'handling_time');
		expect(html).toContain('data-verdict="improved"');
		expectPhrases(
			text,
			`Handling time
			Primary metric · lower is better
			Improved
			Baseline 14.1 min 12 cases · Measured from events
			Pilot 10.2 min 10 cases
			Change -3.93 min (-27.8%)
			-5.13 min to -2.72 min
			-34.8% to -20.8%
			Target -20% of baseline: Met`
		);
		expect(html).toMatch(/class="badge good[^"]*"[^>]*>Improved</);
	});

	it('worsened: the same numbers read against a metric that should rise', async () => {
		const report = await fixtureReport((plan) => ({
			...plan,
			metrics: plan.metrics.map((m) =>
				m.key === 'handling_time' ? { ...m, direction: 'increase', target: { relative: 0.2 } } : m
			)
		}));
		const { html, text } = card(report, 'handling_time');
		expect(html).toContain('data-verdict="worsened"');
		expect(text).toContain('higher is better');
		expect(html).toMatch(/class="badge bad[^"]*"[^>]*>Worsened</);
		expect(text).toContain('Target +20% of baseline: Not met');
	});

	it('no detectable change: a guardrail whose interval is too wide to clear', async () => {
		const { html, text } = card(await fixtureReport(), 'error_rate');
		expect(html).toContain('data-verdict="no_detectable_change"');
		expectPhrases(
			text,
			`No detectable change
			Baseline 25% 12 cases
			Pilot 20% 10 cases
			Change -5 pp (-20%)
			Guardrail: may worsen by at most 30 pp: Unclear so far
			the baseline is too small to detect the target`
		);
	});

	it('insufficient data: says how many cases of how many', async () => {
		const report = await fixtureReport(undefined, { settings: { minSamples: 30 } });
		const { html, text } = card(report, 'handling_time');
		expect(html).toContain('data-verdict="insufficient_data"');
		expect(html).toMatch(/class="badge warn[^"]*"[^>]*>Insufficient data</);
		expectPhrases(
			text,
			`Insufficient data: 12 of 30 cases in the baseline
			Insufficient data: 10 of 30 cases in the pilot
			Target -20% of baseline: Cannot be judged yet
			About 20 more cases in the pilot (about 29 days); 18 more cases in the baseline`
		);
	});

	it('insufficient data with no interval: keeps the estimate, names the reason', async () => {
		const { text } = card(await fixtureReport(), 'first_response_p90');
		expect(text).toContain('Change -15.2 (-25%)');
		expect(text).toContain('no interval yet');
		expect(text).toContain('too few cases to bracket this quantile with order statistics');
		expect(text).not.toContain('a phase has a single case');
	});

	it('null values: words, never NaN', async () => {
		const report = await fixtureReport(withCsat);
		const { html, text } = card(report, 'csat');
		expect(html).not.toMatch(/NaN|Infinity|undefined|null/);
		expectPhrases(
			text,
			`Baseline not available 0 cases · No baseline
			Pilot not available 0 cases
			Change not available (not available)
			no interval yet
			Insufficient data: 0 of 10 cases in the baseline
			No baseline yet for this metric
			Guardrail: may worsen by at most 0.2 points: Unclear so far`
		);
	});

	it('a baseline entered as a summary is labelled as such, with its source', async () => {
		const report = await fixtureReport(
			withCsat,
			{},
			{
				csat: { n: 400, mean: 4.1, sd: 0.9, source: 'Survey export, August' }
			}
		);
		const { text } = card(report, 'csat');
		expect(text).toContain(
			'Baseline 4.1 points 400 cases · Entered summary: Survey export, August'
		);
		expect(text).toContain('Pilot not available 0 cases');
		expect(text).not.toContain('No baseline yet');
	});
});
