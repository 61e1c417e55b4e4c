import { describe, expect, it } from 'vitest';
import { fixtureDayStats } from '../../../tests/support/report-fixture';
import { momentsOf } from '../metrics';
import { levelOf, seriesPoints } from './series-points';

describe('levelOf', () => {
	it('gives a normal 95% interval from the core’s variance of the value', () => {
		// mean 2, sample variance 1, n 3 → SE √(1/3); 1.959964 × 0.57735 = 1.13158.
		const level = levelOf(momentsOf([1, 2, 3]), 'mean');
		expect(level.value).toBe(2);
		expect(level.ci95![0]).toBeCloseTo(0.86842, 4);
		expect(level.ci95![1]).toBeCloseTo(3.13158, 4);
	});

	it('keeps proportions within 0 and 1, and gives no interval for one case', () => {
		expect(levelOf(momentsOf([0, 0, 0, 1]), 'proportion').ci95![0]).toBe(0);
		expect(levelOf(momentsOf([5]), 'mean')).toEqual({ n: 1, value: 5, ci95: null });
		expect(levelOf(null, 'mean')).toEqual({ n: 0, value: null, ci95: null });
	});
});

describe('seriesPoints', () => {
	it('merges days into weeks per phase, dated by their first day with cases', async () => {
		const rows = await fixtureDayStats('handling_time');
		const weeks = seriesPoints(rows, 'mean', 'week');
		expect(weeks.map((p) => [p.day, p.phase, p.n])).toEqual([
			['2026-09-02', 'baseline', 5],
			['2026-09-07', 'baseline', 7],
			['2026-10-02', 'pilot', 3],
			['2026-10-05', 'pilot', 7]
		]);
		const days = seriesPoints(rows, 'mean', 'day');
		expect(days).toHaveLength(22);
		expect(days.every((p) => p.n === 1 && p.ci95 === null)).toBe(true);
	});
});
