import type { PhaseEstimate } from './phase-estimate';
import type { AnalysisSettings } from './settings';
import type { Change } from './welch';
import { tInterval, welchDf } from './welch';

export interface DifferenceInDifferences {
	/** (P_ai − B_ai) − (P_control − B_control): the effect net of the control's own change. */
	readonly change: Change;
	/** The control cohort's change over the same windows (seasonality, volume, policy). */
	readonly controlChange: number;
}

/**
 * Difference in differences on four independent groups. The variance of the estimate is the
 * sum of the four variances of their values; its degrees of freedom follow the
 * Welch–Satterthwaite formula generalised to k groups. `null` unless all four groups have a
 * value and a variance.
 */
export function differenceInDifferences(
	aiBaseline: PhaseEstimate,
	aiPilot: PhaseEstimate,
	controlBaseline: PhaseEstimate,
	controlPilot: PhaseEstimate,
	settings: AnalysisSettings
): DifferenceInDifferences | null {
	const groups = [aiBaseline, aiPilot, controlBaseline, controlPilot];
	const values: number[] = [];
	const terms: { variance: number; n: number }[] = [];
	for (const g of groups) {
		if (g.value === null || g.valueVariance === null || g.n < 2) return null;
		values.push(g.value);
		terms.push({ variance: g.valueVariance, n: g.n });
	}
	const [bA, pA, bC, pC] = values;
	const controlChange = pC - bC;
	const estimate = pA - bA - controlChange;
	if (!Number.isFinite(estimate)) return null;
	const variance = terms.reduce((acc, t) => acc + t.variance, 0);
	const se = variance > 0 ? Math.sqrt(variance) : 0;
	return {
		change: tInterval(estimate, se, welchDf(terms), settings.alpha),
		controlChange
	};
}
