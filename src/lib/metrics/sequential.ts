/**
 * Anytime-valid intervals: asymptotic confidence sequences (Waudby-Smith et al. 2021,
 * arXiv:2103.06476v7, eqs. 9, 134, 155, 161), the form GrowthBook's gbstats and Eppo use.
 *
 * A fixed-horizon 95% interval is valid for one look at a sample size chosen in advance. People
 * open the pilot page every day; read that often, a pilot with no effect crosses a fixed 95%
 * interval at some look far more often than 5% of the time. A confidence sequence holds for all
 * looks at once: the probability that it ever excludes the true change, however often it is
 * read and whenever reading stops, is at most alpha (asymptotically).
 *
 * Counting: N = baseline cases + pilot cases, as gbstats counts both arms. A pilot's baseline
 * is recorded before the pilot and does not grow, so N starts at the baseline's size and grows
 * with the pilot's cases; the per-case variance scale is v = se²·N, with se the fixed-horizon
 * standard error. The tuning parameter T is the N at which the sequence is tightest: the
 * baseline's cases plus the pilot's planned cases (see `plannedTuning` in impact-report.ts).
 */

/** An interval and p-value that stay valid however often they are read. */
export interface AnytimeResult {
	/** (1 − alpha) confidence sequence; a side is `null` when open (one-sided). */
	readonly ci: readonly [number, number];
	readonly pValue: number;
}

/** rho of eq. 161, fixed once from the configured alpha (two-sided). */
export function sequentialRho(alpha: number, tuning: number): number {
	const l = Math.log(alpha);
	return Math.sqrt((-2 * l + Math.log(1 - 2 * l)) / tuning);
}

/** rho for a one-sided sequence: eq. 161 with alpha replaced by 2·alpha. */
export function sequentialRhoOneSided(alpha: number, tuning: number): number {
	return sequentialRho(2 * alpha, tuning);
}

/**
 * Half-width of the two-sided sequence (eq. 9) at N cases:
 * se · sqrt(2(Nρ² + 1)/(Nρ²) · ln(sqrt(Nρ² + 1)/α)). With the configured alpha's rho and a
 * smaller `alpha`, the sequence widens without being re-tuned.
 */
export function twoSidedHalfWidth(se: number, n: number, alpha: number, rho: number): number {
	const nr2 = n * rho * rho;
	return se * Math.sqrt(((2 * (nr2 + 1)) / nr2) * Math.log(Math.sqrt(nr2 + 1) / alpha));
}

/** Half-width of the one-sided sequence (eq. 134), with the one-sided rho. */
export function oneSidedHalfWidth(se: number, n: number, alpha: number, rho: number): number {
	const nr2 = n * rho * rho;
	return se * Math.sqrt(((2 * (nr2 + 1)) / nr2) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha)));
}

/**
 * Two-sided anytime p-value (eq. 155): the alpha at which the sequence, rho held fixed, just
 * touches 0: min(1, sqrt(Nρ² + 1) · exp(−z²Nρ²/(2(Nρ² + 1)))), computed in logs so a large z
 * gives a tiny positive number rather than 0·∞.
 */
export function sequentialPValue(z: number, n: number, rho: number): number {
	const nr2 = n * rho * rho;
	const logP = 0.5 * Math.log(nr2 + 1) - (z * z * nr2) / (2 * (nr2 + 1));
	return Math.min(1, Math.exp(logP));
}

/**
 * One-sided anytime p-value, the exact root of "bound = 0" (our closed form,
 * sqrt(Nρ² + 1) / (2(exp(z²Nρ²/(2(Nρ² + 1))) − 1))), clipped to [1e-5, 0.4999] as gbstats
 * clips; 0.4999 when the estimate points the other way. gbstats finds the root by bisection
 * and may differ from it by ~1e-4.
 */
export function sequentialPValueOneSided(z: number, n: number, rho: number): number {
	if (!(z > 0)) return 0.4999;
	const nr2 = n * rho * rho;
	const root = Math.sqrt(nr2 + 1) / (2 * Math.expm1((z * z * nr2) / (2 * (nr2 + 1))));
	return Math.min(0.4999, Math.max(1e-5, root));
}

/**
 * The two-sided confidence sequence of an estimate with fixed-horizon standard error `se` after
 * `n` cases, tuned for `tuning` cases. `rhoAlpha` is the alpha rho is derived from (the
 * configured one); `alpha` may be smaller (a multiple-testing adjustment widens the sequence
 * without re-tuning it, so the adjusted p-value and interval stay consistent). `null` when the
 * inputs cannot give finite numbers.
 */
export function anytimeInterval(
	estimate: number,
	se: number,
	n: number,
	tuning: number,
	alpha: number,
	rhoAlpha: number = alpha
): AnytimeResult | null {
	if (!(se > 0) || !(n > 0) || !(tuning > 0) || !(alpha > 0 && alpha < 1)) return null;
	const rho = sequentialRho(rhoAlpha, tuning);
	const half = twoSidedHalfWidth(se, n, alpha, rho);
	const pValue = sequentialPValue(estimate / se, n, rho);
	const lower = estimate - half;
	const upper = estimate + half;
	if (![lower, upper, pValue].every(Number.isFinite)) return null;
	return { ci: [lower, upper], pValue };
}
