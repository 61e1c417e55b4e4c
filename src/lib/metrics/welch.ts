import { tCritical, twoSidedPValue } from './distributions';

/** An estimate with its interval; a part that cannot be computed is `null`. */
export interface Change {
	readonly estimate: number;
	/** (1 − alpha) interval, named after the default alpha = 0.05 as in docs/api.md. */
	readonly ci95: readonly [number, number] | null;
	readonly pValue: number | null;
	readonly standardError: number | null;
	readonly df: number | null;
}

/** A group entering a Welch-type combination: the variance of its estimate and its n. */
export interface VarianceTerm {
	readonly variance: number;
	readonly n: number;
}

/**
 * Welch–Satterthwaite degrees of freedom for a sum of independent variance terms,
 * ν = (Σ vᵢ)² / Σ vᵢ²/(nᵢ − 1), written with weights wᵢ = vᵢ / Σv so tiny variances cannot
 * underflow to 0/0. `null` when every variance is 0.
 */
export function welchDf(terms: readonly VarianceTerm[]): number | null {
	const total = terms.reduce((acc, term) => acc + term.variance, 0);
	if (!(total > 0)) return null;
	let denominator = 0;
	for (const term of terms) {
		const weight = term.variance / total;
		denominator += (weight * weight) / (term.n - 1);
	}
	return 1 / denominator;
}

function isFiniteNumber(x: number): boolean {
	return Number.isFinite(x);
}

/**
 * Interval and two-sided p-value of an estimate with standard error `se` on `df` degrees of
 * freedom (Student t). Any non-finite intermediate yields `null` parts, never NaN.
 */
export function tInterval(
	estimate: number,
	se: number | null,
	df: number | null,
	alpha: number
): Change {
	if (se === null || df === null || !(se > 0) || !isFiniteNumber(se) || !(df > 0)) {
		return { estimate, ci95: null, pValue: null, standardError: se === 0 ? 0 : null, df };
	}
	const half = tCritical(alpha, df) * se;
	const lower = estimate - half;
	const upper = estimate + half;
	const p = twoSidedPValue(estimate / se, df);
	const ok = [lower, upper, p].every(isFiniteNumber);
	return {
		estimate,
		ci95: ok ? [lower, upper] : null,
		pValue: ok ? p : null,
		standardError: se,
		df
	};
}
