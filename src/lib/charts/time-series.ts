import { addDays, startOfISOWeek } from 'date-fns';
import type { Phase } from '../domain/terms';
import type { MetricReport } from '../metrics';
import type { DataTable } from './table';
import {
	NOT_AVAILABLE,
	displayDay,
	displayInterval,
	displayValue,
	localDay,
	shortDay
} from './format';

export type Granularity = 'day' | 'week';
export type SeriesPhase = Phase;

/** One period's reading of a metric; `day` is the period's first local day (YYYY-MM-DD). */
export interface SeriesPoint {
	readonly day: string;
	readonly phase: SeriesPhase;
	readonly n: number;
	readonly value: number | null;
	readonly ci95: readonly [number, number] | null;
}

/** A window as the plan stores it: ISO instants, end exclusive. */
export interface SeriesWindow {
	readonly start: string;
	readonly end: string;
}

export interface TimeSeriesInput {
	readonly metric: Pick<MetricReport, 'key' | 'label' | 'unit' | 'kind' | 'direction'>;
	/** The pilot's IANA time zone: windows are cut into days as its people live them. */
	readonly timeZone: string;
	readonly windows: { readonly baseline: SeriesWindow; readonly pilot: SeriesWindow };
	readonly granularity: Granularity;
	/** Points at `granularity` (`seriesPoints` makes them); periods without cases omitted. */
	readonly points: readonly SeriesPoint[];
	/** The baseline level the pilot is compared with, and its 95% interval. */
	readonly baseline: {
		readonly value: number | null;
		readonly ci95: readonly [number, number] | null;
		readonly source: 'events' | 'summary' | null;
	};
}

export interface TimeSeriesData {
	readonly granularity: Granularity;
	/** First local day of each period on the axis, gaps included so time is not squeezed. */
	readonly days: readonly string[];
	readonly labels: readonly string[];
	readonly phases: readonly (SeriesPhase | null)[];
	/** Values on the display scale (proportions in percent); `null` = no reading. */
	readonly values: readonly (number | null)[];
	readonly lower: readonly (number | null)[];
	readonly upper: readonly (number | null)[];
	readonly n: readonly number[];
	readonly baselineLevel: number | null;
	readonly baselineBand: readonly [number, number] | null;
	/** Index ranges (inclusive) of each window on the axis, for shading. */
	readonly windows: readonly { phase: SeriesPhase; from: number; to: number }[];
	readonly yLabel: string;
	readonly xLabel: string;
	readonly table: DataTable;
}

/** Typical daily volume below which one day's interval is too wide to read. */
export const DAILY_MIN_CASES = 20;
/** Beyond this many days a daily chart has more points than a reader can tell apart. */
export const DAILY_MAX_DAYS = 90;

/**
 * Daily when the median day with cases has at least `DAILY_MIN_CASES` cases and the windows
 * span at most `DAILY_MAX_DAYS` days; weekly otherwise. The median, not the mean, so one bulk
 * import does not make a thin series look daily.
 */
export function chooseGranularity(casesPerDay: readonly number[], spanDays: number): Granularity {
	const busy = casesPerDay.filter((n) => n > 0).sort((a, b) => a - b);
	if (busy.length === 0 || spanDays > DAILY_MAX_DAYS) return 'week';
	const mid = busy.length / 2;
	const median = busy.length % 2 === 1 ? busy[Math.floor(mid)] : (busy[mid - 1] + busy[mid]) / 2;
	return median >= DAILY_MIN_CASES ? 'day' : 'week';
}

function parseDay(day: string): Date {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(y, m - 1, d);
}

// Called for every day of both windows on each render: plain string building, not a format parser.
function dayString(date: Date): string {
	const pad = (x: number): string => String(x).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** First and last local day of a window (its end is exclusive). */
export function windowDays(window: SeriesWindow, timeZone: string): readonly [string, string] {
	const last = new Date(Date.parse(window.end) - 1).toISOString();
	return [localDay(window.start, timeZone), localDay(last, timeZone)];
}

/** The period a day belongs to: itself, or the Monday of its ISO week. */
export function periodOf(day: string, granularity: Granularity): string {
	return granularity === 'day' ? day : dayString(startOfISOWeek(parseDay(day)));
}

export function timeSeriesData(input: TimeSeriesInput): TimeSeriesData {
	const { metric, granularity, timeZone } = input;
	const scale = metric.kind === 'proportion' ? 100 : 1;
	const onScale = (x: number | null): number | null =>
		x === null || !Number.isFinite(x) ? null : Math.round(x * scale * 1e6) / 1e6;
	const [bStart, bEnd] = windowDays(input.windows.baseline, timeZone);
	const [pStart, pEnd] = windowDays(input.windows.pilot, timeZone);
	const phaseOfDay = (day: string): SeriesPhase | null =>
		day >= bStart && day <= bEnd ? 'baseline' : day >= pStart && day <= pEnd ? 'pilot' : null;

	// Every period from the baseline's first day to the pilot's last, the gap between included.
	const periods: { day: string; key: string; phase: SeriesPhase | null }[] = [];
	const keyOf = new Map<string, number>();
	const first = bStart < pStart ? bStart : pStart;
	const last = bEnd > pEnd ? bEnd : pEnd;
	for (let date = parseDay(first); dayString(date) <= last; date = addDays(date, 1)) {
		const day = dayString(date);
		const phase = phaseOfDay(day);
		const key = `${phase}:${periodOf(day, granularity)}`;
		if (!keyOf.has(key)) {
			keyOf.set(key, periods.length);
			periods.push({ day, key, phase });
		}
		keyOf.set(day, keyOf.get(key)!);
	}

	const values: (number | null)[] = periods.map(() => null);
	const lower: (number | null)[] = periods.map(() => null);
	const upper: (number | null)[] = periods.map(() => null);
	const n: number[] = periods.map(() => 0);
	for (const point of input.points) {
		const index = keyOf.get(point.day);
		if (index === undefined) continue;
		values[index] = onScale(point.value);
		n[index] = point.n;
		lower[index] = point.ci95 === null ? null : onScale(point.ci95[0]);
		upper[index] = point.ci95 === null ? null : onScale(point.ci95[1]);
	}

	const windows: { phase: SeriesPhase; from: number; to: number }[] = [];
	for (const phase of ['baseline', 'pilot'] as const) {
		const indices = periods.flatMap((p, i) => (p.phase === phase ? [i] : []));
		if (indices.length > 0) windows.push({ phase, from: indices[0], to: indices.at(-1)! });
	}

	const unit = metric.kind === 'proportion' ? '%' : metric.unit;
	const yLabel = unit === null ? metric.label : `${metric.label} (${unit})`;
	const xLabel =
		granularity === 'day'
			? `Day (${timeZone})`
			: `Week starting Monday (${timeZone}); a week split by the pilot start is two points`;
	const band = input.baseline.ci95;
	const periodWord = granularity === 'day' ? 'Day' : 'Week from';
	const baselineText =
		input.baseline.value === null
			? 'no baseline level'
			: `baseline level ${displayValue(metric, input.baseline.value)}` +
				(band === null
					? ' (no interval)'
					: `, 95% CI ${displayInterval(band, (x) => displayValue(metric, x))}`) +
				(input.baseline.source === 'summary' ? ', from an entered summary' : '');
	const table: DataTable = {
		caption: `${metric.label} per ${granularity}, ${baselineText}`,
		headers: [periodWord, 'Phase', 'Cases', 'Value', '95% CI'],
		rows: input.points
			.filter((p) => keyOf.has(p.day))
			// Dated like the axis: by the period's first day, not the first day with cases.
			.map((p) => [
				displayDay(periods[keyOf.get(p.day)!].day),
				p.phase === 'baseline' ? 'Baseline' : 'Pilot',
				String(p.n),
				displayValue(metric, p.value),
				p.value === null ? NOT_AVAILABLE : displayInterval(p.ci95, (x) => displayValue(metric, x))
			])
	};
	return {
		granularity,
		days: periods.map((p) => p.day),
		labels: periods.map((p) => shortDay(p.day)),
		phases: periods.map((p) => p.phase),
		values,
		lower,
		upper,
		n,
		baselineLevel: onScale(input.baseline.value),
		baselineBand: band === null ? null : [onScale(band[0])!, onScale(band[1])!],
		windows,
		yLabel,
		xLabel,
		table
	};
}
