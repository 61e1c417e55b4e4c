import { describe, expect, it } from 'vitest';
import { normalQuantile, tCritical, twoSidedPValue } from './distributions';

// References: the regularized incomplete beta function of mpmath 1.3.0 at 50 significant digits,
// P(T ≤ −|t|) = ½·I_{ν/(ν+t²)}(ν/2, ½); and the closed forms of Student's t with ν = 1
// (Cauchy: P(T ≤ −x) = atan(1/x)/π) and ν = 2 (P(T ≤ −x) = ½·(1 − x/√(2 + x²))).
const tails: [t: number, df: number, p: number, source: string][] = [
	[8, 10, 1.177494278966616e-5, 'mpmath betainc'],
	[25, 30, 1.2091822381287026e-21, 'mpmath betainc'],
	[13.5, 2000, 8.196603294997354e-40, 'mpmath betainc'],
	[1e20, 2, 1.0e-40, 'closed form, ν = 2'],
	[1e39, 1, 6.3661977236758135e-40, 'closed form, ν = 1 (2/(π·10³⁹))']
];

describe('twoSidedPValue', () => {
	it.each(tails)('t = %d, df = %d gives p = %d (%s)', (t, df, p) => {
		expect(twoSidedPValue(t, df)).toBeGreaterThan(0);
		expect(Math.abs(twoSidedPValue(t, df) - p) / p).toBeLessThan(1e-9);
		expect(twoSidedPValue(-t, df)).toBe(twoSidedPValue(t, df));
	});

	it('is 1 at t = 0 and never exceeds 1', () => {
		expect(twoSidedPValue(0, 5)).toBe(1);
		expect(twoSidedPValue(1e-12, 1)).toBeLessThanOrEqual(1);
	});
});

describe('critical values', () => {
	// Textbook tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2) to the digits printed.
	it.each([
		[10, 2.228],
		[30, 2.042],
		[100, 1.984]
	])('t(0.975, %d) = %d', (df, expected) => {
		expect(tCritical(0.05, df)).toBeCloseTo(expected, 3);
	});

	it('normal 0.975 quantile is 1.959964', () => {
		expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
	});
});
