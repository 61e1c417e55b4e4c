/**
 * Multiple-testing adjustments of p-values, as GrowthBook's `packages/shared` defines them.
 * Several tests feeding one decision each have a 5% chance of a false alarm; together far more.
 * - Holm–Bonferroni (family-wise error): for the judgements that change the recommendation —
 *   the primary metric and the guardrails.
 * - Benjamini–Hochberg (false discovery rate): for the exploratory list of secondary metrics.
 * Both return the adjusted values in the input's order; `null` entries (no test) stay `null` and
 * are not counted in the family.
 */

export type Adjustment = 'holm' | 'benjamini_hochberg' | 'none';

function present(pValues: readonly (number | null)[]): { p: number; index: number }[] {
	return pValues.flatMap((p, index) => (p === null ? [] : [{ p, index }]));
}

/**
 * Holm: sort ascending; the i-th smallest (1-based) becomes min(1, (m − i + 1)·p), then a
 * running maximum upward so the adjusted values keep the raw order.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
	return stepwise(pValues, 'ascending', 0, (running, p, m, i) =>
		Math.max(running, Math.min(1, (m - i) * p))
	);
}

/**
 * Benjamini–Hochberg: sort descending; the value of ascending rank r becomes min(1, p·m/r),
 * then a running minimum downward from the largest.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
	return stepwise(pValues, 'descending', 1, (running, p, m, k) =>
		Math.min(running, Math.min(1, (p * m) / (m - k)))
	);
}

/**
 * What Holm and Benjamini–Hochberg share: the tests sorted by p-value in `order`, each one's
 * adjusted value `next` of the running value, its p-value, the family's size and its place.
 */
function stepwise(
	pValues: readonly (number | null)[],
	order: 'ascending' | 'descending',
	start: number,
	next: (running: number, p: number, m: number, place: number) => number
): (number | null)[] {
	const tests = present(pValues).sort((a, b) => (order === 'ascending' ? a.p - b.p : b.p - a.p));
	const m = tests.length;
	const adjusted: (number | null)[] = pValues.map(() => null);
	let running = start;
	tests.forEach(({ p, index }, place) => {
		running = next(running, p, m, place);
		adjusted[index] = running;
	});
	return adjusted;
}

export function adjust(pValues: readonly (number | null)[], method: Adjustment): (number | null)[] {
	if (method === 'holm') return holm(pValues);
	if (method === 'benjamini_hochberg') return benjaminiHochberg(pValues);
	return [...pValues];
}

/**
 * The error rate at which a test's own interval must be drawn so that it excludes 0 exactly when
 * its adjusted p-value is below `alpha`: alpha · p / p_adjusted. (With a p-value that is the
 * alpha at which the interval touches 0, as the anytime p-value is, "p < alpha·p/p_adj" is
 * "p_adj < alpha".) GrowthBook's `adjustedCI` does the same on the normal scale. A p-value that
 * underflowed to 0 falls back to alpha / family size (Bonferroni), which is never narrower.
 */
export function adjustedAlpha(
	alpha: number,
	pValue: number,
	adjustedPValue: number,
	familySize: number
): number {
	if (!(pValue > 0) || !(adjustedPValue > 0)) return alpha / Math.max(1, familySize);
	return Math.min(alpha, (alpha * pValue) / adjustedPValue);
}
