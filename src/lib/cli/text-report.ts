import { VERDICT_TEXT, decisionWord } from '../domain/wording';
import type { ImpactReport, MetricReport } from '../metrics/report-types';
import {
	formatInterval,
	formatMoney,
	formatNumber,
	formatPercent,
	formatSigned
} from '../metrics/format';
import { describeReason } from '../metrics/reasons';

function metricLines(m: MetricReport): string[] {
	const unit = m.unit === null ? '' : ` ${m.unit}`;
	const lines = [
		`${m.label} (${m.role}, ${m.kind}, ${m.direction} is better): ${VERDICT_TEXT[m.verdict].toLowerCase()}`
	];
	const source = m.baseline.source === 'summary' ? ' (entered summary)' : '';
	lines.push(
		`  baseline ${formatNumber(m.baseline.value, 4)}${unit} (n = ${m.baseline.n})${source} → pilot ${formatNumber(m.pilot.value, 4)}${unit} (n = ${m.pilot.n})`
	);
	if (m.absoluteChange !== null) {
		const p =
			m.absoluteChange.pValue === null ? '' : `, p = ${m.absoluteChange.pValue.toPrecision(2)}`;
		lines.push(
			`  change ${formatSigned(m.absoluteChange.estimate)}${unit} (${formatInterval(m.absoluteChange.ci95, (x) => formatSigned(x))}${p})`
		);
	}
	if (m.relativeChange !== null) {
		lines.push(
			`  relative ${formatPercent(m.relativeChange.estimate)} (${formatInterval(m.relativeChange.ci95, (x) => formatPercent(x))})`
		);
	}
	const judged = m.decisionInterval;
	if (judged.absoluteChange?.ci95 || judged.relativeChange?.ci95) {
		const kind =
			judged.method === 'confidence_sequence' ? 'anytime 95% interval' : 'judged at planned cases';
		const adjusted =
			judged.adjustment === 'none'
				? ''
				: `, ${judged.adjustment === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}-adjusted for ${judged.familySize} tests`;
		const relative = judged.relativeChange?.ci95 ?? null;
		lines.push(
			`  judged on: ${relative !== null ? formatInterval(relative, (x) => formatPercent(x), kind) : formatInterval(judged.absoluteChange?.ci95 ?? null, (x) => formatSigned(x), kind)}${adjusted}`
		);
	}
	if (m.meetsTarget !== null) lines.push(`  meets target: ${m.meetsTarget ? 'yes' : 'no'}`);
	if (m.guardrail !== null) lines.push(`  guardrail: ${m.guardrail}`);
	const did = m.differenceInDifferences;
	if (did !== null) {
		lines.push(
			`  net of control (difference in differences): ${formatSigned(did.change.estimate)}${unit} (${formatInterval(did.change.ci95, (x) => formatSigned(x))}); control changed ${formatSigned(did.controlChange)}${unit}`
		);
	}
	if (m.power !== null && m.power.minimumDetectableEffect !== null) {
		const needed =
			m.power.pilotCasesNeeded === null || m.power.pilotCasesNeeded === 0
				? ''
				: `; ${m.power.pilotCasesNeeded} more pilot cases${m.power.daysNeeded === null ? '' : ` (~${m.power.daysNeeded} days)`}`;
		lines.push(
			`  detectable now: ${formatNumber(m.power.minimumDetectableEffect)}${unit} (${formatPercent(m.power.minimumDetectableRelativeEffect, false)})${needed}`
		);
	}
	for (const reason of m.reasons) lines.push(`  note: ${describeReason(reason)}`);
	return lines;
}

/** A readable summary of the impact report for the terminal. */
export function textReport(report: ImpactReport): string {
	const e = report.economics;
	const money = (x: number | null): string => formatMoney(x, e.currency);
	const lines = [
		`${report.pilot.name} (${report.pilot.slug}) — ${report.pilot.stage}, generated ${report.generatedAt}`,
		`Cases: baseline ${report.cases.baseline.ai} (control ${report.cases.baseline.control}), pilot ${report.cases.pilot.ai} (control ${report.cases.pilot.control})`,
		'',
		...report.metrics.flatMap((m) => [...metricLines(m), '']),
		'Economics',
		`  benefit to date ${money(e.benefitToDate)}, cost to date ${money(e.costToDate)}, net to date ${money(e.netToDate)}`,
		`  annual net benefit ${money(e.annualNetBenefit)}${e.intervals.annualNetBenefit === null ? '' : ` (${formatInterval(e.intervals.annualNetBenefit as [number, number], money)})`}`,
		`  ROI ${formatPercent(e.roi)}, payback ${e.paybackMonths === null ? 'n/a' : `${formatNumber(e.paybackMonths)} months`}`
	];
	if (e.hoursSavedToDate !== null) {
		lines.push(`  hours saved to date ${formatNumber(e.hoursSavedToDate.estimate)}`);
	}
	for (const missing of e.missing) lines.push(`  missing: ${missing}`);
	lines.push(
		'',
		`Recommendation: ${decisionWord(report.recommendation.decision)}`,
		...report.recommendation.reasons.map((r) => `  - ${r}`)
	);
	return lines.join('\n') + '\n';
}
