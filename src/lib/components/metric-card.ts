import type { MetricReport, Scaled } from '$lib/metrics';
import { describeReason } from '$lib/metrics/reasons';
import {
	GUARDRAIL_TEXT,
	GUARDRAIL_TONE,
	VERDICT_TEXT,
	VERDICT_TONE,
	type Tone
} from '$lib/domain/wording';
import {
	directionText,
	displayAbsoluteChange,
	displayInterval,
	displayPercent,
	displayValue,
	NOT_AVAILABLE
} from '$lib/charts/format';

export type { Tone };

/** What a metric card says, in words, before any markup: the component only lays it out. */
export interface MetricCardModel {
	readonly title: string;
	readonly role: string;
	readonly direction: string;
	readonly verdict: { readonly text: string; readonly tone: Tone };
	readonly baseline: { readonly value: string; readonly n: string; readonly source: string };
	readonly pilot: { readonly value: string; readonly n: string };
	readonly absolute: { readonly estimate: string; readonly ci: string };
	readonly relative: { readonly estimate: string; readonly ci: string };
	/** The interval the verdict is judged on (anytime-valid, adjusted), with one plain sentence. */
	readonly judged: {
		readonly label: string;
		readonly absoluteCi: string;
		readonly relativeCi: string;
		readonly sentence: string;
	};
	/** Target or guardrail status; `null` for a metric that has neither. */
	readonly status: { readonly label: string; readonly text: string; readonly tone: Tone } | null;
	/** "Insufficient data: 12 of 30 cases in the baseline", one line per short phase. */
	readonly shortfall: readonly string[];
	/** Cases and days still needed, when the report knows them. */
	readonly stillNeeded: string | null;
	/** Why numbers are missing, in words. */
	readonly notes: readonly string[];
}

const ROLE_TEXT: Record<MetricReport['role'], string> = {
	primary: 'Primary metric',
	secondary: 'Secondary metric',
	guardrail: 'Guardrail'
};

function cases(n: number, more = false): string {
	return `${n.toLocaleString('en-US')}${more ? ' more' : ''} ${n === 1 ? 'case' : 'cases'}`;
}

function sizeText(metric: MetricReport, size: Scaled): string {
	return 'relative' in size
		? `${displayPercent(size.relative, true)} of baseline`
		: displayAbsoluteChange(metric, size.absolute);
}

function status(metric: MetricReport): MetricCardModel['status'] {
	if (metric.role === 'guardrail' && metric.tolerance !== null) {
		const limit = sizeText(metric, metric.tolerance).replace(/^[+-]/, '');
		const label = `Guardrail: may worsen by at most ${limit}`;
		const guardrail = metric.guardrail ?? 'unclear';
		return { label, text: GUARDRAIL_TEXT[guardrail], tone: GUARDRAIL_TONE[guardrail] };
	}
	if (metric.target !== null) {
		const label = `Target ${sizeText(metric, metric.target)}`;
		if (metric.meetsTarget === true) return { label, text: 'Met', tone: 'good' };
		if (metric.verdict === 'insufficient_data') {
			return { label, text: 'Cannot be judged yet', tone: 'warn' };
		}
		if (metric.verdict === 'improved' && metric.meetsTarget === false) {
			return { label, text: 'Improved, below target', tone: 'warn' };
		}
		if (metric.meetsTarget === false) return { label, text: 'Not met', tone: 'neutral' };
		return { label, text: 'Cannot be judged yet', tone: 'warn' };
	}
	return null;
}

/** Words for the decision interval: what it is and why it is wider than the fixed one. */
export function decisionIntervalWords(metric: MetricReport): { label: string; sentence: string } {
	const d = metric.decisionInterval;
	const adjusted =
		d.adjustment === 'holm'
			? ` It is widened for the ${d.familySize} tests that can change the recommendation (Holm), so that together they raise no more than one false alarm in 20.`
			: d.adjustment === 'benjamini_hochberg'
				? ` It is widened for the ${d.familySize} secondary metrics read together (Benjamini–Hochberg), so that at most one in 20 of the changes it calls real is a false alarm.`
				: '';
	if (d.method === 'fixed_horizon_at_planned_cases') {
		return {
			label: '95% interval, judged at the planned cases',
			sentence: `A quantile is judged on its fixed-horizon interval only once the pilot’s planned cases are in, so it is read once, as that interval requires.${adjusted}`
		};
	}
	return {
		label: 'Anytime 95% interval (judged on)',
		sentence: `This interval stays valid however often you look: opening the page every day does not make a chance result look real.${adjusted}`
	};
}

export function metricCardModel(metric: MetricReport, minSamples: number): MetricCardModel {
	const shortfall: string[] = [];
	if (metric.verdict === 'insufficient_data') {
		for (const [phase, n] of [
			['baseline', metric.baseline.n],
			['pilot', metric.pilot.n]
		] as const) {
			if (n < minSamples) {
				shortfall.push(`Insufficient data: ${n} of ${cases(minSamples)} in the ${phase}`);
			}
		}
	}
	const power = metric.power;
	let stillNeeded: string | null = null;
	if (power !== null && power.pilotCasesNeeded !== null && power.pilotCasesNeeded > 0) {
		stillNeeded =
			`About ${cases(power.pilotCasesNeeded, true)} in the pilot` +
			(power.daysNeeded === null ? '' : ` (about ${Math.ceil(power.daysNeeded)} days)`);
	}
	if (power !== null && power.baselineCasesNeeded > 0) {
		stillNeeded = [stillNeeded, `${cases(power.baselineCasesNeeded, true)} in the baseline`]
			.filter((x) => x !== null)
			.join('; ');
	}
	// Of the power analysis's own reasons only this one tells the reader something to act on;
	// the others explain why a sample size could not be computed, which the shortfall covers.
	const reasonCodes = [
		...metric.reasons,
		...(power?.reasons ?? []).filter((code) => code === 'target_unreachable_with_baseline')
	];
	const notes = [...new Set(reasonCodes)]
		.filter((code) => code !== 'below_min_samples')
		.map(describeReason);
	if (metric.baseline.source === null) notes.unshift('No baseline yet for this metric');

	const abs = metric.absoluteChange;
	const rel = metric.relativeChange;
	const value = (x: number | null): string => displayValue(metric, x);
	const change = (x: number | null): string => displayAbsoluteChange(metric, x);
	const sourceText =
		metric.baseline.source === 'summary'
			? `Entered summary${metric.baseline.sourceNote ? `: ${metric.baseline.sourceNote}` : ''}`
			: metric.baseline.source === 'events'
				? 'Measured from events'
				: 'No baseline';
	return {
		title: metric.label,
		role: ROLE_TEXT[metric.role],
		direction: directionText(metric.direction),
		verdict: { text: VERDICT_TEXT[metric.verdict], tone: VERDICT_TONE[metric.verdict] },
		baseline: {
			value: value(metric.baseline.value),
			n: cases(metric.baseline.n),
			source: sourceText
		},
		pilot: { value: value(metric.pilot.value), n: cases(metric.pilot.n) },
		absolute: {
			estimate: abs === null ? NOT_AVAILABLE : change(abs.estimate),
			ci: displayInterval(abs?.ci95 ?? null, change)
		},
		relative: {
			estimate: rel === null ? NOT_AVAILABLE : displayPercent(rel.estimate, true),
			ci: displayInterval(rel?.ci95 ?? null, (x) => displayPercent(x, true))
		},
		judged: {
			...decisionIntervalWords(metric),
			absoluteCi: displayInterval(metric.decisionInterval.absoluteChange?.ci95 ?? null, change),
			relativeCi: displayInterval(metric.decisionInterval.relativeChange?.ci95 ?? null, (x) =>
				displayPercent(x, true)
			)
		},
		status: status(metric),
		shortfall,
		stillNeeded,
		notes
	};
}
