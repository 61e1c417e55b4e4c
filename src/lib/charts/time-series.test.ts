import { describe, expect, it } from 'vitest';
import { expectFiniteNumbers } from '../../../tests/support/finite';
import { fixtureDayStats, fixturePlan, fixtureReport } from '../../../tests/support/report-fixture';
import { mergeAll } from '../metrics';
import { levelOf, seriesPoints } from './series-points';
import {
	chooseGranularity,
	periodOf,
	timeSeriesData,
	windowDays,
	type TimeSeriesInput
} from './time-series';

async function handlingInput(granularity: 'day' | 'week'): Promise<TimeSeriesInput> {
	const plan = await fixturePlan();
	const report = await fixtureReport();
	const metric = report.metrics.find((m) => m.key === 'handling_time')!;
	const rows = await fixtureDayStats('handling_time');
	const baseline = levelOf(
		mergeAll(rows.flatMap((r) => (r.phase === 'baseline' && r.stats ? [r.stats] : []))),
		'mean'
	);
	return {
		metric,
		timeZone: plan.timezone!,
		windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
		granularity,
		points: seriesPoints(rows, 'mean', granularity),
		baseline: { value: baseline.value, ci95: baseline.ci95, source: 'events' }
	};
}

describe('chooseGranularity', () => {
	it.each([
		{ cases: [25, 30, 18, 40], span: 21, expected: 'day' },
		{ cases: [1, 1, 2, 1], span: 21, expected: 'week' },
		{ cases: [0, 0, 0], span: 21, expected: 'week' },
		// A single bulk import does not make a thin series daily: the median decides.
		{ cases: [1, 2, 500, 1, 1], span: 21, expected: 'week' },
		{ cases: [50, 60, 70], span: 120, expected: 'week' }
	])('$cases over $span days → $expected', ({ cases, span, expected }) => {
		expect(chooseGranularity(cases, span)).toBe(expected);
	});
});

describe('windows and periods', () => {
	it('cuts windows into local days of the pilot’s time zone, end exclusive', async () => {
		const plan = await fixturePlan();
		expect(windowDays(plan.baselineWindow, 'Europe/Madrid')).toEqual(['2026-09-01', '2026-09-30']);
		// Madrid's midnight is 18:00 the day before in New York.
		expect(windowDays(plan.baselineWindow, 'America/New_York')).toEqual([
			'2026-08-31',
			'2026-09-30'
		]);
	});

	it('dates a week by its Monday', () => {
		expect(periodOf('2026-10-04', 'week')).toBe('2026-09-28');
		expect(periodOf('2026-10-05', 'week')).toBe('2026-10-05');
		expect(periodOf('2026-10-04', 'day')).toBe('2026-10-04');
	});
});

describe('timeSeriesData', () => {
	it('lays every day from the baseline start to the pilot end, windows shaded', async () => {
		const data = timeSeriesData(await handlingInput('day'));
		// 30 September days + 21 October days, no gap between the windows.
		expect(data.days.length).toBe(51);
		expect(data.days[0]).toBe('2026-09-01');
		expect(data.days.at(-1)).toBe('2026-10-21');
		expect(data.windows).toEqual([
			{ phase: 'baseline', from: 0, to: 29 },
			{ phase: 'pilot', from: 30, to: 50 }
		]);
		const oct2 = data.days.indexOf('2026-10-02');
		expect(data.values[oct2]).toBe(10);
		expect(data.n[oct2]).toBe(1);
		// One case a day has no interval: drawn as a point without a bar.
		expect(data.lower[oct2]).toBeNull();
		expect(data.values[data.days.indexOf('2026-09-20')]).toBeNull();
		expect(data.baselineLevel).toBe(14.125);
		expect(data.yLabel).toBe('Handling time (min)');
		expect(data.xLabel).toBe('Day (Europe/Madrid)');
	});

	it('groups weeks without mixing phases, and gives weekly intervals', async () => {
		const input = await handlingInput('week');
		const data = timeSeriesData(input);
		// 28 Sep – 4 Oct holds both windows: two periods, one per phase.
		expect(data.days.slice(4, 6)).toEqual(['2026-09-28', '2026-10-01']);
		expect(data.phases.slice(4, 6)).toEqual(['baseline', 'pilot']);
		const firstPilotWeek = data.days.indexOf('2026-10-01');
		// Pilot cases on 2–4 October: 10, 9.5 and 11.25 minutes.
		expect(data.n[firstPilotWeek]).toBe(3);
		expect(data.values[firstPilotWeek]).toBeCloseTo(10.25, 6);
		expect(data.lower[firstPilotWeek]).not.toBeNull();
		expect(data.table.headers).toEqual(['Week from', 'Phase', 'Cases', 'Value', '95% CI']);
		expect(data.table.rows.find((r) => r[0] === 'Thu 1 Oct 2026')).toEqual([
			'Thu 1 Oct 2026',
			'Pilot',
			'3',
			'10.3 min',
			expect.stringMatching(/^\d+(\.\d+)? min to \d+(\.\d+)? min$/)
		]);
		expectFiniteNumbers(data);
	});

	it('shows proportions in percent and says when there is no baseline', async () => {
		const plan = await fixturePlan();
		const report = await fixtureReport();
		const metric = report.metrics.find((m) => m.key === 'error_rate')!;
		const data = timeSeriesData({
			metric,
			timeZone: 'Europe/Madrid',
			windows: { baseline: plan.baselineWindow, pilot: plan.pilotWindow },
			granularity: 'week',
			points: seriesPoints(await fixtureDayStats('error_rate'), 'proportion', 'week'),
			baseline: { value: null, ci95: null, source: null }
		});
		expect(data.yLabel).toBe('Error rate (%)');
		expect(data.baselineLevel).toBeNull();
		expect(data.baselineBand).toBeNull();
		expect(data.table.caption).toBe('Error rate per week, no baseline level');
		for (const v of data.values) if (v !== null) expect(v >= 0 && v <= 100).toBe(true);
	});
});
