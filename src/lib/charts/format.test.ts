import { describe, expect, it } from 'vitest';
import {
	displayAbsoluteChange,
	displayDateTime,
	displayDay,
	displayEstimate,
	displayMoney,
	displayNumber,
	displayPercent,
	displayValue,
	localDay
} from './format';

describe('display formatting', () => {
	it.each([
		[null, 'not available'],
		[Number.NaN, 'not available'],
		[0, '0'],
		[14.125, '14.1'],
		[12345.6, '12,346']
	])('number %s → %s', (x, expected) => {
		expect(displayNumber(x)).toBe(expected);
	});

	it('percentages, signed only when asked', () => {
		expect(displayPercent(0.2779)).toBe('27.8%');
		expect(displayPercent(0.2779, true)).toBe('+27.8%');
		expect(displayPercent(-0.2)).toBe('-20%');
		expect(displayPercent(null)).toBe('not available');
	});

	it('money in the report’s currency: cents for small sums only', () => {
		expect(displayMoney(44760.4, 'EUR')).toBe('€44,760');
		expect(displayMoney(11.775, 'EUR')).toBe('€11.78');
		expect(displayMoney(0, 'EUR')).toBe('€0');
		expect(displayMoney(-12419.6, 'USD')).toBe('-$12,420');
		expect(displayMoney(500, 'EUR', true)).toBe('+€500');
		expect(displayMoney(1200, null)).toBe('1,200');
		expect(displayMoney(null, 'EUR')).toBe('not available');
	});

	it('values and changes with the metric’s unit; proportions in percent and points', () => {
		const minutes = { kind: 'mean', unit: 'min' } as const;
		const share = { kind: 'proportion', unit: null } as const;
		expect(displayValue(minutes, 10.2)).toBe('10.2 min');
		expect(displayValue(share, 0.25)).toBe('25%');
		expect(displayValue(minutes, null)).toBe('not available');
		expect(displayAbsoluteChange(minutes, -3.9250000000000007)).toBe('-3.93 min');
		expect(displayAbsoluteChange(share, 0.05)).toBe('+5 pp');
	});

	it('an estimate with its interval, and open bounds in words', () => {
		const eur = (x: number): string => displayMoney(x, 'EUR');
		expect(displayEstimate(44760, [27429.6, 62090.4], eur)).toBe(
			'€44,760 (95% CI €27,430 to €62,090)'
		);
		expect(displayEstimate(3.2, [2.3, null], (x) => `${x} months`, 'never')).toBe(
			'3.2 months (95% CI 2.3 months to never)'
		);
		expect(displayEstimate(5, null, String)).toBe('5');
		expect(displayEstimate(null, [1, 2], String)).toBe('not available');
	});

	it('dates in the pilot’s time zone', () => {
		// 23:30 UTC on 30 September is already 1 October in Madrid.
		expect(localDay('2026-09-30T23:30:00Z', 'Europe/Madrid')).toBe('2026-10-01');
		expect(localDay('2026-09-30T23:30:00Z', 'America/New_York')).toBe('2026-09-30');
		expect(displayDateTime('2026-10-15T12:00:00Z', 'Europe/Madrid')).toBe(
			'15 Oct 2026, 14:00 (Europe/Madrid)'
		);
		expect(displayDay('2026-10-05')).toBe('Mon 5 Oct 2026');
	});
});
