// The local calendar day an event counts in: the app's per-day rollups and the CLI's
// accumulator read it from this one rule, so their per-day figures agree.

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, Map<number, string>>();
/** Every UTC offset in use is a multiple of 15 minutes, so a day never changes inside one. */
export const QUARTER_HOUR_MS = 900_000;

/** The calendar day (YYYY-MM-DD) of an instant in the pilot's time zone. */
export function dayIn(timezone: string, instantMs: number): string {
	let days = dayCache.get(timezone);
	if (!days) {
		days = new Map();
		dayCache.set(timezone, days);
	}
	const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
	let day = days.get(quarter);
	if (day === undefined) {
		let format = dayFormats.get(timezone);
		if (!format) {
			format = new Intl.DateTimeFormat('en-CA', {
				timeZone: timezone,
				year: 'numeric',
				month: '2-digit',
				day: '2-digit'
			});
			dayFormats.set(timezone, format);
		}
		day = format.format(quarter * QUARTER_HOUR_MS);
		// Bounded: a year of quarter hours is 35,040 entries per time zone.
		if (days.size > 100_000) days.clear();
		days.set(quarter, day);
	}
	return day;
}
