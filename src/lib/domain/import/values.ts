import { tzOffset } from '@date-fns/tz';

// Reading the cells of tool exports: numbers with a decimal point or comma, yes/no answers in
// their usual spellings, and timestamps with or without an offset. Each reader returns the
// value or a reason a person can act on; an empty cell is "not observed", never an error.

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = (reason: string): Read<never> => ({ ok: false, reason });

/**
 * A number as exports write it: "7.5", "7,5" (decimal comma), "1.234,5" / "1,234.5" (thousands
 * separators), "1 234" (spaces, also non-breaking). The separator is the file's, not guessed
 * per cell, because "1,234" means 1.234 in one file and 1234 in another.
 */
export function readNumber(cell: string, decimalSeparator: '.' | ','): Read<number> {
	let text = cell.trim().replace(/[\s\u00a0\u202f']/g, '');
	if (decimalSeparator === ',') {
		text = text.replace(/\.(?=\d{3}(?:\D|$))/g, '').replace(',', '.');
	} else {
		text = text.replace(/,(?=\d{3}(?:\D|$))/g, '');
	}
	if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) {
		return bad(
			`"${cell}" is not a number${decimalSeparator === ',' ? ' (with a decimal comma)' : ''}`
		);
	}
	return ok(Number(text));
}

const yes = new Set(['yes', 'y', 'true', 't', '1', 'on', 'si', 'sí', 'ja', 'oui', 'x', '✓']);
const no = new Set(['no', 'n', 'false', 'f', '0', 'off', 'nein', 'non']);

/** yes/no, true/false, 1/0 (any case, also y/n, sí/no, ja/nein, oui/non) → 1/0. */
export function readBoolean(cell: string): Read<0 | 1> {
	const text = cell.trim().toLowerCase().replace(/\.0+$/, '');
	if (yes.has(text)) return ok(1);
	if (no.has(text)) return ok(0);
	return bad(`"${cell}" is not a yes/no answer (yes/no, true/false, 1/0)`);
}

export type DateOrder = 'ymd' | 'dmy' | 'mdy';

const withOffset =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const yearFirst =
	/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?$/;
const yearLast =
	/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?$/;

/**
 * A year written with two digits: 00–68 are 2000–2068, 69–99 are 1969–1999 — the pivot of
 * POSIX `strptime("%y")` and of most spreadsheets.
 */
export const TWO_DIGIT_YEAR_PIVOT = 69;

function fullYear(text: string): number {
	if (text.length === 4) return +text;
	const yy = +text;
	return yy < TWO_DIGIT_YEAR_PIVOT ? 2000 + yy : 1900 + yy;
}

function daysIn(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A timestamp → epoch milliseconds. With `Z` or an offset it is that instant. Without one it is
 * a wall-clock time in `timezone` (the pilot's, or the one chosen for the file): a time that a
 * daylight-saving change skips is read as the same clock time after the change, a repeated one
 * as its second occurrence (the later instant).
 */
export function readTimestamp(cell: string, timezone: string, order: DateOrder): Read<number> {
	const text = cell.trim();
	const iso = withOffset.exec(text);
	if (iso) {
		const [, y, mo, d, h, mi, s = '00', frac = '', zone] = iso;
		const offset =
			zone.toUpperCase() === 'Z'
				? 'Z'
				: zone.length === 3
					? `${zone}:00`
					: `${zone.slice(0, 3)}:${zone.slice(-2)}`;
		const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${offset}`);
		if (Number.isNaN(ms) || !validParts(+y, +mo, +d, +h, +mi, +s))
			return bad(`"${cell}" is not a valid date and time`);
		return ok(ms);
	}
	let parts: RegExpExecArray | null = yearFirst.exec(text);
	let year: number, month: number, day: number;
	if (parts) {
		[year, month, day] = [+parts[1], +parts[2], +parts[3]];
	} else {
		parts = yearLast.exec(text);
		if (!parts) {
			return bad(
				`"${cell}" is not a date and time (e.g. 2026-10-03 09:14, 03/10/2026 09:14 or 2026-10-03T09:14:00+02:00)`
			);
		}
		if (order === 'ymd') {
			return bad(`"${cell}" puts the year last: choose day/month/year or month/day/year`);
		}
		const [a, b] = [+parts[1], +parts[2]];
		[day, month] = order === 'dmy' ? [a, b] : [b, a];
		year = fullYear(parts[3]);
	}
	let hour = parts[4] === undefined ? 0 : +parts[4];
	const minute = parts[5] === undefined ? 0 : +parts[5];
	const second = parts[6] === undefined ? 0 : +parts[6];
	const millis = parts[7] === undefined ? 0 : Number((parts[7] + '00').slice(0, 3));
	const meridiem = parts[8]?.toLowerCase();
	if (meridiem) {
		if (hour < 1 || hour > 12) return bad(`"${cell}" has an hour ${hour} with ${meridiem}`);
		hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
	}
	if (!validParts(year, month, day, hour, minute, second)) {
		return bad(`"${cell}" is not a valid date and time`);
	}
	return ok(
		wallClockToInstant(Date.UTC(year, month - 1, day, hour, minute, second, millis), timezone)
	);
}

/** Every UTC offset in use is a multiple of 15 minutes, so it is constant within a quarter hour. */
const QUARTER_HOUR_MS = 900_000;
const offsets = new Map<string, Map<number, number>>();

/** The zone's UTC offset in ms at an instant; Intl is slow, so it is asked once per quarter hour. */
function offsetAt(timezone: string, instantMs: number): number {
	let zone = offsets.get(timezone);
	if (!zone) offsets.set(timezone, (zone = new Map()));
	const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
	let offset = zone.get(quarter);
	if (offset === undefined) {
		offset = tzOffset(timezone, new Date(quarter * QUARTER_HOUR_MS)) * 60_000;
		if (zone.size > 100_000) zone.clear();
		zone.set(quarter, offset);
	}
	return offset;
}

/**
 * A wall-clock time (given as if it were UTC) in a zone → the instant. Offset changes are at
 * least days apart, so the offsets a day before and after are the only candidates. A time that
 * exists twice (fall back) is its later occurrence; one that a spring-forward skips is read
 * with the offset before the change, which lands on the same clock time after it (02:30 → 03:30).
 */
function wallClockToInstant(wallMs: number, timezone: string): number {
	const before = offsetAt(timezone, wallMs - 86_400_000);
	const after = offsetAt(timezone, wallMs + 86_400_000);
	if (before === after) return wallMs - before;
	const candidates = [wallMs - before, wallMs - after].filter(
		(t) => wallMs - offsetAt(timezone, t) === t
	);
	return candidates.length ? Math.max(...candidates) : wallMs - before;
}

function validParts(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number
): boolean {
	return (
		month >= 1 &&
		month <= 12 &&
		day >= 1 &&
		day <= daysIn(year, month) &&
		hour <= 23 &&
		minute <= 59 &&
		second <= 60
	);
}
