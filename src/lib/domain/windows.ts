import { TZDate, tz } from '@date-fns/tz';
import { addDays, format, subDays } from 'date-fns';

// A window is stored as two instants [start, end) in UTC. People think in whole days in the
// pilot's time zone ("2 Sep – 22 Sep"), so forms and pages speak in first and last day.

export interface DayWindow {
	firstDay: string;
	lastDay: string;
}

export interface InstantWindow {
	start: string;
	end: string;
}

function midnight(day: string, zone: string): TZDate {
	const [y, m, d] = day.split('-').map(Number);
	return new TZDate(y, m - 1, d, zone);
}

/** Days (inclusive) in a time zone → instants, the end exclusive at the next midnight. */
export function toInstantWindow(window: DayWindow, zone: string): InstantWindow {
	const start = midnight(window.firstDay, zone);
	const end = addDays(midnight(window.lastDay, zone), 1);
	return {
		start: new Date(start.getTime()).toISOString(),
		end: new Date(end.getTime()).toISOString()
	};
}

/** Instants → the days they cover in the time zone (the end is exclusive). */
export function toDayWindow(window: InstantWindow, zone: string): DayWindow {
	const inZone = { in: tz(zone) };
	return {
		firstDay: format(new Date(window.start), 'yyyy-MM-dd', inZone),
		lastDay: format(subDays(new Date(window.end), 1, inZone), 'yyyy-MM-dd', inZone)
	};
}

/** "2 Sep – 22 Sep 2026", or with both years when the window crosses a year. */
export function formatDayWindow(window: DayWindow): string {
	const first = new Date(`${window.firstDay}T12:00:00Z`);
	const last = new Date(`${window.lastDay}T12:00:00Z`);
	const sameYear = window.firstDay.slice(0, 4) === window.lastDay.slice(0, 4);
	return `${format(first, sameYear ? 'd MMM' : 'd MMM yyyy')} – ${format(last, 'd MMM yyyy')}`;
}

/** Whole days in a window, inclusive. */
export function windowDays(window: DayWindow): number {
	const ms = Date.parse(`${window.lastDay}T00:00:00Z`) - Date.parse(`${window.firstDay}T00:00:00Z`);
	return Math.round(ms / 86_400_000) + 1;
}
