import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalQuantileFn from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Two-sided p-value of a t statistic: 2·F(−|t|; df). Taking the lower tail directly (instead of
 * 1 − F(|t|)) keeps p-values like 1e-40 exact instead of collapsing them to 0.
 */
export function twoSidedPValue(t: number, df: number): number {
	const key = `${t}|${df}`;
	let p = recentPValues.get(key);
	if (p === undefined) {
		if (recentPValues.size >= 256) recentPValues.clear();
		p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
		recentPValues.set(key, p);
	}
	return p;
}

/** Recent p-values by t and df: a report tests the same comparison more than once (pure). */
const recentPValues = new Map<string, number>();

/**
 * Recent critical values by alpha and df. A report asks for the same ones several times (a
 * metric's interval at 95% and at its decision level, the headline and the detail), and the
 * quantile's iterative inversion is among the report's dearest steps; the function is pure,
 * so a remembered value is the value.
 */
const recentCritical = new Map<string, number>();

/** The (1 − alpha/2) quantile of Student's t with `df` degrees of freedom. */
export function tCritical(alpha: number, df: number): number {
	const key = `${alpha}|${df}`;
	let t = recentCritical.get(key);
	if (t === undefined) {
		if (recentCritical.size >= 256) recentCritical.clear();
		t = tQuantile(1 - alpha / 2, df);
		recentCritical.set(key, t);
	}
	return t;
}

/** Standard normal quantile. */
export function normalQuantile(p: number): number {
	return normalQuantileFn(p, 0, 1);
}
