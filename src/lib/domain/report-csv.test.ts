import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../../../tests/support/report-fixture';
import { REPORT_CSV_COLUMNS, reportCsv, reportFileName } from './report-csv';

describe('the impact report as CSV', () => {
	it('one row per metric with the JSON report’s unrounded numbers; empty cells for null', async () => {
		const report = await fixtureReport((plan) => ({
			...plan,
			metrics: [
				...plan.metrics,
				{
					key: 'csat',
					label: 'Satisfaction, "stars"',
					kind: 'mean',
					measure: 'csat',
					direction: 'increase',
					role: 'secondary'
				}
			]
		}));
		const rows = parse(reportCsv(report), { columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0])).toEqual([...REPORT_CSV_COLUMNS]);
		expect(rows.map((r) => r.metric_key)).toEqual(report.metrics.map((m) => m.key));
		const handling = report.metrics.find((m) => m.key === 'handling_time')!;
		const row = rows.find((r) => r.metric_key === 'handling_time')!;
		expect(Number(row.baseline_n)).toBe(handling.baseline.n);
		expect(Number(row.pilot_n)).toBe(handling.pilot.n);
		expect(Number(row.absolute_change)).toBe(handling.absoluteChange!.estimate);
		expect(Number(row.absolute_ci95_low)).toBe(handling.absoluteChange!.ci95![0]);
		expect(Number(row.relative_ci95_high)).toBe(handling.relativeChange!.ci95![1]);
		expect(row.verdict).toBe(handling.verdict);
		expect(row.meets_target).toBe(String(handling.meetsTarget));
		// Nobody measured csat: the label survives its quotes, the numbers are empty, never NaN.
		const csat = rows.find((r) => r.metric_key === 'csat')!;
		expect(csat.label).toBe('Satisfaction, "stars"');
		expect(csat.verdict).toBe('insufficient_data');
		expect(csat.absolute_change).toBe('');
		expect(csat.baseline_value).toBe('');
		expect(reportCsv(report)).not.toMatch(/NaN|undefined|null/);
	});

	it('neutralises cells a spreadsheet would run as a formula', async () => {
		const report = await fixtureReport((plan) => ({
			...plan,
			metrics: plan.metrics.map((m, i) => (i === 0 ? { ...m, label: '=HYPERLINK("x")' } : m))
		}));
		const rows = parse(reportCsv(report), { columns: true }) as Record<string, string>[];
		expect(rows[0].label).toBe(`'=HYPERLINK("x")`);
	});

	it('names the file after the pilot and the report date', () => {
		expect(reportFileName('email-triage', '2026-10-23T08:00:00.000Z', 'csv')).toBe(
			'email-triage-impact-2026-10-23.csv'
		);
	});
});
