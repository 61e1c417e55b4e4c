import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readBoolean, readNumber, readTimestamp } from './values';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (cell: string, zone = 'Europe/Madrid', order: 'ymd' | 'dmy' | 'mdy' = 'ymd'): string => {
	const read = readTimestamp(cell, zone, order);
	if (!read.ok) throw new Error(read.reason);
	return iso(read.value);
};

describe('readNumber', () => {
	test.each([
		['7.5', '.', 7.5],
		['7,5', ',', 7.5],
		['1.234,5', ',', 1234.5],
		['1,234.5', '.', 1234.5],
		['1 234,25', ',', 1234.25],
		['1\u00a0234', '.', 1234],
		['-0,5', ',', -0.5],
		['42', ',', 42],
		['1e3', '.', 1000]
	] as const)('%s with decimal %s → %d', (cell, separator, expected) => {
		expect(readNumber(cell, separator)).toEqual({ ok: true, value: expected });
	});

	test.each([
		['7,5', '.'],
		['abc', '.'],
		['12 min', '.'],
		['', ',']
	] as const)('%s with decimal %s is refused with a reason', (cell, separator) => {
		const read = readNumber(cell, separator);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.reason).toContain('not a number');
	});
});

describe('readBoolean', () => {
	test.each(['yes', 'Yes', 'YES', 'y', 'true', 'TRUE', '1', 'Sí', 'ja', 'oui', ' yes '])(
		'%s → 1',
		(cell) => expect(readBoolean(cell)).toEqual({ ok: true, value: 1 })
	);
	test.each(['no', 'No', 'n', 'false', 'False', '0', '0.0', 'nein', 'non'])('%s → 0', (cell) =>
		expect(readBoolean(cell)).toEqual({ ok: true, value: 0 })
	);
	test.each(['maybe', '2', 'good'])('%s is not a yes/no answer', (cell) => {
		expect(readBoolean(cell).ok).toBe(false);
	});
});

describe('readTimestamp', () => {
	test('an offset or Z is that instant, whatever zone is chosen', () => {
		expect(at('2026-10-03T09:14:00+02:00', 'America/New_York')).toBe('2026-10-03T07:14:00.000Z');
		expect(at('2026-10-03 09:14:00Z')).toBe('2026-10-03T09:14:00.000Z');
		expect(at('2026-10-03T09:14:00.250+0530', 'UTC')).toBe('2026-10-03T03:44:00.250Z');
	});

	test('naive local times are read in the chosen zone, summer and winter time alike', () => {
		expect(at('2026-07-01 09:00')).toBe('2026-07-01T07:00:00.000Z'); // CEST, +02:00
		expect(at('2026-12-01 09:00')).toBe('2026-12-01T08:00:00.000Z'); // CET, +01:00
		expect(at('2026-07-01 09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
		expect(at('2026-07-01 09:00', 'UTC')).toBe('2026-07-01T09:00:00.000Z');
		expect(at('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
	});

	test.each([
		// Two-digit years pivot at 69: 00–68 → 2000s, 69–99 → 1900s.
		['01-02-21', 'dmy', '2021-02-01T00:00:00.000Z'],
		['13/02/21 09:30', 'dmy', '2021-02-13T09:30:00.000Z'],
		['02/13/21 09:30', 'mdy', '2021-02-13T09:30:00.000Z'],
		['01.01.68', 'dmy', '2068-01-01T00:00:00.000Z'],
		['01.01.69', 'dmy', '1969-01-01T00:00:00.000Z'],
		// Day-first, month-first and 12-hour clocks.
		['03/10/2026 09:14', 'dmy', '2026-10-03T09:14:00.000Z'],
		['10/03/2026 09:14', 'mdy', '2026-10-03T09:14:00.000Z'],
		['03.10.2026 21:14:05', 'dmy', '2026-10-03T21:14:05.000Z'],
		['10/03/2026 9:14 PM', 'mdy', '2026-10-03T21:14:00.000Z'],
		['10/03/2026 12:05 am', 'mdy', '2026-10-03T00:05:00.000Z']
	] as const)('%s read %s in UTC → %s', (cell, order, expected) => {
		expect(at(cell, 'UTC', order)).toBe(expected);
	});

	test('a two-digit year needs a day or month first and exactly two digits', () => {
		expect(readTimestamp('01-02-21', 'UTC', 'ymd').ok).toBe(false);
		expect(readTimestamp('01-02-2', 'UTC', 'dmy').ok).toBe(false);
		expect(readTimestamp('01-02-021', 'UTC', 'dmy').ok).toBe(false);
	});

	test('a skipped clock time (spring forward) reads as the same time after the change', () => {
		// Europe/Madrid jumps from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist.
		expect(at('2026-03-29 02:30')).toBe(at('2026-03-29 03:30'));
	});

	test('a repeated clock time (fall back) reads as its later occurrence', () => {
		// Europe/Madrid goes from 03:00 back to 02:00 on 2026-10-25: 02:30 happens twice.
		expect(at('2026-10-25 02:30')).toBe('2026-10-25T01:30:00.000Z');
	});

	test.each([
		['2026-02-30 10:00', 'ymd'],
		['2026-13-01', 'ymd'],
		['2026-10-03 24:10', 'ymd'],
		['yesterday', 'ymd'],
		['03/10/2026', 'ymd'],
		['13/13/2026', 'dmy']
	] as const)('%s (%s) is refused with a reason', (cell, order) => {
		const read = readTimestamp(cell, 'UTC', order);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.reason).toContain(cell);
	});
});

describe('naive local times agree with @date-fns/tz', () => {
	test('for any wall-clock time that exists in zones with and without daylight saving', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(
					'Europe/Madrid',
					'America/New_York',
					'Australia/Sydney',
					'Asia/Kolkata',
					'UTC'
				),
				fc.date({
					min: new Date('2020-01-01T00:00:00Z'),
					max: new Date('2030-12-31T23:59:59Z'),
					noInvalidDate: true
				}),
				(zone, date) => {
					const [y, mo, d, h, mi, s] = [
						date.getUTCFullYear(),
						date.getUTCMonth() + 1,
						date.getUTCDate(),
						date.getUTCHours(),
						date.getUTCMinutes(),
						date.getUTCSeconds()
					];
					const pad = (n: number): string => String(n).padStart(2, '0');
					const cell = `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
					const expected = new TZDate(y, mo - 1, d, h, mi, s, 0, zone);
					// Clock times a change skips or repeats are pinned by the tests above instead
					// (@date-fns/tz picks the earlier of a repeated time in some zones, the later in others).
					if (expected.getHours() !== h) return;
					const hour = 3_600_000;
					for (const t of [expected.getTime() - hour, expected.getTime() + hour]) {
						const near = new TZDate(t, zone);
						if (near.getHours() === h && near.getMinutes() === mi) return;
					}
					expect(readTimestamp(cell, zone, 'ymd')).toEqual({ ok: true, value: expected.getTime() });
				}
			),
			{ numRuns: 5000 }
		);
	});

	test('around the changes of America/New_York', () => {
		// 2026-03-08: 02:00 EST → 03:00 EDT; 2026-11-01: 02:00 EDT → 01:00 EST.
		expect(at('2026-03-08 02:30', 'America/New_York')).toBe(
			at('2026-03-08 03:30', 'America/New_York')
		);
		expect(at('2026-03-08 03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
		expect(at('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
	});
});
