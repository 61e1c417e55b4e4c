import type { ImpactReport } from '../metrics';

// The impact report as a spreadsheet: one row per metric, the same numbers as the JSON report
// (unrounded), an empty cell where the report has `null`. RFC 4180 quoting is a few lines, so
// it is written here rather than pulled in as a dependency.

export const REPORT_CSV_COLUMNS = [
	'metric_key',
	'label',
	'kind',
	'role',
	'direction',
	'unit',
	'baseline_source',
	'baseline_n',
	'baseline_value',
	'pilot_n',
	'pilot_value',
	'absolute_change',
	'absolute_ci95_low',
	'absolute_ci95_high',
	'p_value',
	'relative_change',
	'relative_ci95_low',
	'relative_ci95_high',
	'verdict',
	'meets_target',
	'guardrail'
] as const;

type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const text = String(value);
	// Quote what a spreadsheet would misread; a leading = + - @ would run as a formula.
	const guarded = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function reportCsv(report: ImpactReport): string {
	const rows: Cell[][] = report.metrics.map((m) => [
		m.key,
		m.label,
		m.kind,
		m.role,
		m.direction,
		m.unit,
		m.baseline.source,
		m.baseline.n,
		m.baseline.value,
		m.pilot.n,
		m.pilot.value,
		m.absoluteChange?.estimate,
		m.absoluteChange?.ci95?.[0],
		m.absoluteChange?.ci95?.[1],
		m.absoluteChange?.pValue,
		m.relativeChange?.estimate,
		m.relativeChange?.ci95?.[0],
		m.relativeChange?.ci95?.[1],
		m.verdict,
		m.meetsTarget,
		m.guardrail
	]);
	return [REPORT_CSV_COLUMNS as readonly Cell[], ...rows]
		.map((row) => row.map(cell).join(','))
		.join('\r\n')
		.concat('\r\n');
}

/** A file name people recognise in their downloads: pilot, report, local date. */
export function reportFileName(
	slug: string,
	generatedAt: string,
	extension: 'json' | 'csv'
): string {
	return `${slug}-impact-${generatedAt.slice(0, 10)}.${extension}`;
}
