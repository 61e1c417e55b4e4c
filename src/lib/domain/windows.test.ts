import { describe, expect, test } from 'vitest';
import { formatDayWindow, toDayWindow, toInstantWindow, windowDays } from './windows';

describe('windows', () => {
	test.each([
		{
			name: 'days in Madrid become instants at local midnight, the end exclusive',
			// September: CEST, UTC+2
			days: { firstDay: '2026-09-01', lastDay: '2026-09-30' },
			instants: { start: '2026-08-31T22:00:00.000Z', end: '2026-09-30T22:00:00.000Z' }
		},
		{
			name: 'a window across the end of summer time keeps local midnights',
			// DST ends on 25 Oct 2026 in Madrid: the end is at UTC+1
			days: { firstDay: '2026-10-01', lastDay: '2026-10-31' },
			instants: { start: '2026-09-30T22:00:00.000Z', end: '2026-10-31T23:00:00.000Z' }
		}
	])('$name', ({ days, instants }) => {
		expect(toInstantWindow(days, 'Europe/Madrid')).toEqual(instants);
	});

	test.each(['Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'])(
		'days → instants → days round-trips in %s',
		(zone) => {
			const days = { firstDay: '2026-03-01', lastDay: '2026-11-15' };
			expect(toDayWindow(toInstantWindow(days, zone), zone)).toEqual(days);
		}
	);

	test('format and length', () => {
		expect(formatDayWindow({ firstDay: '2026-09-02', lastDay: '2026-09-22' })).toBe(
			'2 Sep – 22 Sep 2026'
		);
		expect(formatDayWindow({ firstDay: '2026-12-14', lastDay: '2027-01-08' })).toBe(
			'14 Dec 2026 – 8 Jan 2027'
		);
		expect(windowDays({ firstDay: '2026-09-02', lastDay: '2026-09-22' })).toBe(21);
		expect(windowDays({ firstDay: '2026-03-28', lastDay: '2026-03-30' })).toBe(3);
	});
});
