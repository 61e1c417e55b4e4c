import type { PhaseEstimate } from './phase-estimate';
import type { ReasonCode } from './reasons';
import type { AnalysisSettings } from './settings';
import { normalQuantile } from './distributions';

export interface PowerResult {
	/** Smallest absolute change the current samples detect with the configured power. */
	readonly minimumDetectableEffect: number | null;
	/** The same, as a share of the baseline value. */
	readonly minimumDetectableRelativeEffect: number | null;
	/** Further pilot cases needed to detect `goal` (and to reach minSamples); 0 when enough. */
	readonly pilotCasesNeeded: number | null;
	/** Further baseline cases needed to reach minSamples. */
	readonly baselineCasesNeeded: number;
	/** Days at the observed pilot volume for `pilotCasesNeeded`. */
	readonly daysNeeded: number | null;
	readonly reasons: readonly ReasonCode[];
}

export interface PowerInput {
	readonly baseline: PhaseEstimate;
	readonly pilot: PhaseEstimate;
	/** The change to detect, absolute units (a target, or a guardrail's tolerance). */
	readonly goal: number | null;
	readonly minSamples: number;
	/** Pilot cases per day observed so far; `null` when unknown. */
	readonly pilotCasesPerDay: number | null;
}

/**
 * Normal-approximation power for a two-sample comparison (e.g. Chow, Shao & Wang, Sample Size
 * Calculations in Clinical Research, §3.2): a change Δ is detected with power 1 − β when
 * (z₁₋α/₂ + z₁₋β)·√(σ²_B/n_B + σ²_P/n_P) ≤ |Δ|. The baseline is taken as fixed (its window is
 * over), so we solve for n_P. A phase without a variance borrows the other phase's.
 */
export function powerAnalysis(input: PowerInput, settings: AnalysisSettings): PowerResult {
	const { baseline: b, pilot: p, minSamples } = input;
	const baselineCasesNeeded = Math.max(0, minSamples - b.n);
	const reasons: ReasonCode[] = [];
	const perCase = (e: PhaseEstimate): number | null =>
		e.valueVariance === null || e.n < 2 ? null : e.valueVariance * e.n;
	const varB = perCase(b) ?? perCase(p);
	const varP = perCase(p) ?? perCase(b);
	const empty: PowerResult = {
		minimumDetectableEffect: null,
		minimumDetectableRelativeEffect: null,
		// Without a variance only the plan's minimum is known to be needed.
		pilotCasesNeeded: Math.max(0, minSamples - p.n),
		baselineCasesNeeded,
		daysNeeded: null,
		reasons: b.value === null ? ['no_baseline'] : ['too_few_cases']
	};
	if (varB === null || varP === null || b.n < 1) return empty;

	const zSum = normalQuantile(1 - settings.alpha / 2) + normalQuantile(settings.power);
	const nP = Math.max(p.n, 1);
	const mde = zSum * Math.sqrt(varB / b.n + varP / nP);
	const relative = b.value !== null && b.value !== 0 ? mde / Math.abs(b.value) : null;

	let pilotCasesNeeded: number | null = null;
	if (input.goal !== null && input.goal !== 0) {
		const room = (input.goal / zSum) ** 2 - varB / b.n;
		if (varP === 0) {
			pilotCasesNeeded = Math.max(0, minSamples - p.n);
		} else if (room > 0) {
			const required = Math.ceil(varP / room);
			pilotCasesNeeded = Math.max(0, Math.max(required, minSamples) - p.n);
		} else {
			reasons.push('target_unreachable_with_baseline');
		}
	} else {
		pilotCasesNeeded = Math.max(0, minSamples - p.n);
	}
	const rate = input.pilotCasesPerDay;
	const daysNeeded =
		pilotCasesNeeded === null || rate === null || !(rate > 0)
			? null
			: Math.ceil(pilotCasesNeeded / rate);
	const finiteOrNull = (x: number | null): number | null =>
		x !== null && Number.isFinite(x) ? x : null;
	return {
		minimumDetectableEffect: finiteOrNull(mde),
		minimumDetectableRelativeEffect: finiteOrNull(relative),
		pilotCasesNeeded: finiteOrNull(pilotCasesNeeded),
		baselineCasesNeeded,
		daysNeeded: finiteOrNull(daysNeeded),
		reasons
	};
}
