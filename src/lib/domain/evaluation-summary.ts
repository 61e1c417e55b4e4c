import { evaluateGates, wilsonInterval, type GateResult } from '../metrics';
import { criterionLabel, evaluationCriteria } from './evaluation-criteria';

// What the evaluations page and the pilot page show of the quality runs: each criterion's
// pass rate with its Wilson 95% interval, the gates of the plan on the latest run, and the
// change since the run before.

export interface RunInput {
	id: number;
	name: string;
	runAt: string;
	criteria: Readonly<Record<string, { passed: number; total: number }>>;
}

export interface CriterionView {
	key: string;
	label: string;
	passed: number;
	total: number;
	rate: number;
	interval: readonly [number, number] | null;
}

export interface RunView {
	id: number;
	name: string;
	runAt: string;
	criteria: CriterionView[];
}

export interface ComparisonRow {
	key: string;
	label: string;
	latest: number | null;
	previous: number | null;
	/** latest − previous pass rate; null when either run did not test the criterion. */
	change: number | null;
}

export interface QualitySummary {
	runs: RunView[];
	gates: (GateResult & { label: string })[];
	/** Gated criteria that block a "scale" recommendation, in words. */
	blocking: string[];
	comparison: ComparisonRow[];
}

const order = (key: string): number => {
	const i = evaluationCriteria.findIndex((c) => c.key === key);
	return i < 0 ? evaluationCriteria.length : i;
};

function runView(run: RunInput): RunView {
	const criteria = Object.entries(run.criteria)
		.sort(([a], [b]) => order(a) - order(b))
		.map(([key, { passed, total }]) => ({
			key,
			label: criterionLabel(key),
			passed,
			total,
			rate: passed / total,
			interval: wilsonInterval(passed, total)
		}));
	return { id: run.id, name: run.name, runAt: run.runAt, criteria };
}

/** 95%, 97.5%: a decimal only where it says something. */
const percent = (x: number): string => `${Number((x * 100).toFixed(1))}%`;

/** "Keeps sensitive data out: 2 failures in 120 cases; required 100%". */
export function gateReason(gate: GateResult, minSamples: number): string {
	const label = criterionLabel(gate.criterion);
	if (gate.status === 'untested')
		return `${label}: not tested yet; required ${percent(gate.threshold)}`;
	const failures = Math.round((1 - (gate.passRate ?? 0)) * gate.total);
	if (gate.threshold >= 1) {
		return failures > 0
			? `${label}: ${failures} failure${failures === 1 ? '' : 's'} in ${gate.total} cases; required 100%`
			: `${label}: no failure in ${gate.total} cases, but at least ${minSamples} are needed; required 100%`;
	}
	return `${label}: ${percent(gate.passRate ?? 0)} passed in ${gate.total} cases (95% lower bound ${percent(gate.wilsonLower ?? 0)}); required ${percent(gate.threshold)}`;
}

/** Runs newest first, as the evaluations service lists them. */
export function summarizeQuality(
	runs: readonly RunInput[],
	gates: Readonly<Record<string, number>> | undefined,
	minSamples: number
): QualitySummary {
	const views = runs.map(runView);
	const [latest, previous] = runs;
	const gateResults = evaluateGates(gates, latest ?? null, minSamples).map((g) => ({
		...g,
		label: criterionLabel(g.criterion)
	}));
	const keys = [
		...new Set([...Object.keys(latest?.criteria ?? {}), ...Object.keys(previous?.criteria ?? {})])
	].sort((a, b) => order(a) - order(b));
	const rate = (run: RunInput | undefined, key: string): number | null => {
		const c = run?.criteria[key];
		return c && c.total > 0 ? c.passed / c.total : null;
	};
	return {
		runs: views,
		gates: gateResults,
		blocking: gateResults
			.filter((g) => g.status !== 'passed')
			.map((g) => gateReason(g, minSamples)),
		comparison: previous
			? keys.map((key) => {
					const l = rate(latest, key);
					const p = rate(previous, key);
					return {
						key,
						label: criterionLabel(key),
						latest: l,
						previous: p,
						change: l !== null && p !== null ? l - p : null
					};
				})
			: []
	};
}
