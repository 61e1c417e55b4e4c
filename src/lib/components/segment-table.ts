import type { DataTable } from '$lib/charts/table';
import type { MetricReport, SegmentBreakdown, SegmentResult } from '$lib/metrics';
import { segmentName } from '$lib/metrics/segment-name';
import { GUARDRAIL_TEXT, VERDICT_TEXT } from '$lib/domain/wording';
import {
	displayAbsoluteChange,
	displayInterval,
	displayPercent,
	displayValue
} from '$lib/charts/format';

function differs(metric: MetricReport, s: SegmentResult): string {
	if (s.differs === null) return '—';
	if (!s.differs.flagged) return 'No';
	return `Yes: ${displayAbsoluteChange(metric, s.differs.estimate)} against the rest (${displayInterval(
		s.differs.ci95,
		(x) => displayAbsoluteChange(metric, x)
	)})`;
}

/** A metric per segment as a table: the page, the printed report and screen readers share it. */
export function segmentTable(breakdown: SegmentBreakdown, metric: MetricReport): DataTable {
	const primary = breakdown.role === 'primary';
	return {
		caption: `${breakdown.label} by segment`,
		headers: [
			'Segment',
			'Baseline',
			'Pilot',
			'Change',
			'Anytime 95% interval',
			primary ? 'Verdict' : 'Guardrail',
			'Differs from the rest',
			...(primary ? ['Share of the change'] : [])
		],
		rows: breakdown.segments.map((s) => [
			segmentName(s),
			`${displayValue(metric, s.baseline.value)} (${s.baseline.n.toLocaleString('en-US')})`,
			`${displayValue(metric, s.pilot.value)} (${s.pilot.n.toLocaleString('en-US')})`,
			s.relativeChange !== null && metric.kind !== 'proportion'
				? displayPercent(s.relativeChange.estimate, true)
				: displayAbsoluteChange(metric, s.absoluteChange?.estimate ?? null),
			s.relativeChange !== null && metric.kind !== 'proportion'
				? displayInterval(s.decisionInterval.relativeChange?.ci95 ?? null, (x) =>
						displayPercent(x, true)
					)
				: displayInterval(s.decisionInterval.absoluteChange?.ci95 ?? null, (x) =>
						displayAbsoluteChange(metric, x)
					),
			primary || s.guardrail === null ? VERDICT_TEXT[s.verdict] : GUARDRAIL_TEXT[s.guardrail],
			differs(metric, s),
			...(primary ? [displayPercent(s.shareOfChange)] : [])
		])
	};
}

/** One sentence under the table: how segments are judged. */
export function segmentSentence(breakdown: SegmentBreakdown): string {
	const shown = breakdown.segments.length;
	return `Each segment is judged on its own anytime interval, widened for the ${shown} segments read together (Holm); segments with fewer than ${breakdown.minCases} cases in a phase are pooled as “other”.`;
}

/** One line for paper: which segments breach a guardrail or differ from the rest. */
export function segmentSummary(breakdowns: readonly SegmentBreakdown[]): string | null {
	const parts = breakdowns.flatMap((b) => {
		const breached = b.segments.filter((s) => s.guardrail === 'breached').map(segmentName);
		const differing = b.segments.filter((s) => s.differs?.flagged === true).map(segmentName);
		return [
			...(breached.length > 0 ? [`${b.label} breached in ${breached.join(', ')}`] : []),
			...(differing.length > 0 && b.role === 'primary'
				? [`${b.label} differs from the rest in ${differing.join(', ')}`]
				: [])
		];
	});
	return parts.length === 0 ? null : `By segment: ${parts.join('; ')}.`;
}
