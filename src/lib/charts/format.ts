import { format as formatDate } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { formatNumber, formatPercent } from '../metrics/format';
import type { Direction, MetricReport } from '../metrics';

/**
 * Display formatting for pages and chart tables. Builds on the metrics core's plain-words
 * helpers and adds what a page needs on top: units, words instead of "n/a", and dates in
 * the pilot's own time zone (a day boundary in Madrid is not one in UTC).
 */

/** Shown wherever a number cannot be computed: a word a reader understands, never NaN. */
export const NOT_AVAILABLE = 'not available';

export function displayNumber(x: number | null, digits = 3): string {
	return x === null || !Number.isFinite(x) ? NOT_AVAILABLE : formatNumber(x, digits);
}

/** A share (0.25) as a percentage ("25%"); signed changes carry an explicit "+". */
export function displayPercent(share: number | null, signed = false): string {
	return share === null || !Number.isFinite(share) ? NOT_AVAILABLE : formatPercent(share, signed);
}

// A formatter costs far more to build than to use, and a portfolio formats hundreds of sums.
const currencyFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, cents: boolean): Intl.NumberFormat {
	const key = `${currency}|${cents}`;
	let format = currencyFormats.get(key);
	if (format === undefined) {
		format = new Intl.NumberFormat('en-US', {
			style: 'currency',
			currency,
			minimumFractionDigits: 0,
			maximumFractionDigits: cents ? 2 : 0
		});
		currencyFormats.set(key, format);
	}
	return format;
}

/** Money in the report's currency, with the currency's own symbol and grouping. */
export function displayMoney(x: number | null, currency: string | null, signed = false): string {
	if (x === null || !Number.isFinite(x)) return NOT_AVAILABLE;
	const sign = signed && x > 0 ? '+' : '';
	if (currency === null) return sign + formatNumber(Math.round(x));
	try {
		// Cents matter for a per-case figure, not for thousands.
		const cents = !(Math.abs(x) >= 100 || Number.isInteger(x));
		return sign + currencyFormat(currency, cents).format(x);
	} catch {
		// An unknown currency code still reads well as "1,200 XYZ".
		return `${sign}${Math.round(x).toLocaleString('en-US')} ${currency}`;
	}
}

/**
 * A metric's value with its unit: proportions as percentages, everything else as a number
 * followed by the unit the plan gave it.
 */
export function displayValue(
	metric: Pick<MetricReport, 'kind' | 'unit'>,
	value: number | null
): string {
	if (value === null || !Number.isFinite(value)) return NOT_AVAILABLE;
	if (metric.kind === 'proportion') return displayPercent(value);
	const unit = metric.unit === null ? '' : ` ${metric.unit}`;
	return `${formatNumber(value)}${unit}`;
}

/** An absolute change in the metric's units; proportions move in percentage points. */
export function displayAbsoluteChange(
	metric: Pick<MetricReport, 'kind' | 'unit'>,
	change: number | null
): string {
	if (change === null || !Number.isFinite(change)) return NOT_AVAILABLE;
	const sign = change > 0 ? '+' : '';
	if (metric.kind === 'proportion') {
		return `${sign}${Number((change * 100).toPrecision(3))} pp`;
	}
	const unit = metric.unit === null ? '' : ` ${metric.unit}`;
	return `${sign}${formatNumber(change)}${unit}`;
}

export function displayInterval(
	ci: readonly [number | null, number | null] | null,
	format: (x: number | null) => string
): string {
	if (ci === null) return 'no interval yet';
	return `${format(ci[0])} to ${format(ci[1])}`;
}

export function directionText(direction: Direction): string {
	return direction === 'decrease' ? 'lower is better' : 'higher is better';
}

/** A local calendar day ("2026-10-05") as "Mon 5 Oct 2026". */
export function displayDay(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	return formatDate(new Date(y, m - 1, d), 'EEE d MMM yyyy');
}

/** A short axis label for a local day ("5 Oct"). */
export function shortDay(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	return formatDate(new Date(y, m - 1, d), 'd MMM');
}

/** An instant as the pilot's people read it: their wall clock, with the zone named. */
export function displayDateTime(iso: string, timeZone: string): string {
	const date = new TZDate(Date.parse(iso), timeZone);
	return `${formatDate(date, 'd MMM yyyy, HH:mm')} (${timeZone})`;
}

/** The local calendar day ("YYYY-MM-DD") an instant falls on in the pilot's time zone. */
export function localDay(iso: string, timeZone: string): string {
	return formatDate(new TZDate(Date.parse(iso), timeZone), 'yyyy-MM-dd');
}

/**
 * A figure with its interval in one phrase: "€44,760 (95% CI €27,430 to €62,090)". Figures
 * are never shown bare when an interval exists; a missing bound reads as `openBound`.
 */
export function displayEstimate(
	value: number | null,
	ci: readonly [number | null, number | null] | null,
	format: (x: number) => string,
	openBound = 'unbounded'
): string {
	if (value === null || !Number.isFinite(value)) return NOT_AVAILABLE;
	if (ci === null) return format(value);
	const bound = (x: number | null): string => (x === null ? openBound : format(x));
	return `${format(value)} (95% CI ${bound(ci[0])} to ${bound(ci[1])})`;
}
