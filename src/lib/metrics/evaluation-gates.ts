import { normalQuantile } from './distributions';

export interface CriterionCounts {
	readonly passed: number;
	readonly total: number;
}

/** The latest evaluation run (docs/api.md "Evaluations"): pass counts per criterion tested. */
export interface EvaluationRun {
	readonly name?: string;
	readonly criteria: Readonly<Record<string, CriterionCounts>>;
}

export interface GateResult {
	readonly criterion: string;
	readonly threshold: number;
	readonly status: 'passed' | 'failed' | 'untested';
	readonly passRate: number | null;
	/** Lower end of the Wilson 95% interval of the pass rate. */
	readonly wilsonLower: number | null;
	readonly total: number;
}

/**
 * Wilson score interval (Wilson 1927) of a pass rate, z for a two-sided 1 − alpha level:
 * unlike the normal approximation it stays inside [0, 1] and is honest at 0 or n passes.
 */
export function wilsonInterval(
	passed: number,
	total: number,
	alpha = 0.05
): readonly [number, number] | null {
	if (!(total > 0) || passed < 0 || passed > total) return null;
	const z = normalQuantile(1 - alpha / 2);
	const p = passed / total;
	const z2 = z * z;
	const centre = p + z2 / (2 * total);
	const spread = z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
	const scale = 1 + z2 / total;
	// At 0 or n passes the bound is exactly 0 or 1; rounding must not invent a sliver.
	const lower = passed === 0 ? 0 : Math.max(0, (centre - spread) / scale);
	const upper = passed === total ? 1 : Math.min(1, (centre + spread) / scale);
	return [lower, upper];
}

/** Wilson score interval's lower end: what a gate compares with its threshold. */
export function wilsonLower(passed: number, total: number, alpha = 0.05): number | null {
	return wilsonInterval(passed, total, alpha)?.[0] ?? null;
}

/**
 * docs/api.md: a gated criterion passes when the lower end of its Wilson 95% interval reaches the
 * threshold, or, for a threshold of 1.0, when the run saw no failure in at least `minSamples`
 * cases; a criterion the run did not test is `untested`.
 */
export function evaluateGates(
	gates: Readonly<Record<string, number>> | undefined,
	run: EvaluationRun | null | undefined,
	minSamples: number,
	alpha = 0.05
): GateResult[] {
	return Object.entries(gates ?? {}).map(([criterion, threshold]) => {
		const counts = run?.criteria[criterion];
		if (counts === undefined || !(counts.total > 0)) {
			return {
				criterion,
				threshold,
				status: 'untested',
				passRate: null,
				wilsonLower: null,
				total: 0
			};
		}
		const lower = wilsonLower(counts.passed, counts.total, alpha);
		const passed =
			threshold >= 1
				? counts.passed === counts.total && counts.total >= minSamples
				: lower !== null && lower >= threshold;
		return {
			criterion,
			threshold,
			status: passed ? 'passed' : 'failed',
			passRate: counts.passed / counts.total,
			wilsonLower: lower,
			total: counts.total
		};
	});
}
