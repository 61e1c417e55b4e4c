import { describe, expect, it } from 'vitest';
import {
	baselineTrend,
	caseWeightedMeanDay,
	dayNumber,
	describeParallelTrends,
	describeTrend,
	describeWeekdayMix,
	neweyWestLags,
	parallelTrends,
	trendProjection,
	weekdayMix,
	type BaselineTrend,
	type DailyValue,
	type TrendReason
} from './trend';
import type { Change } from './welch';

const daily = (rows: [day: string, n: number, value: number][]): DailyValue[] =>
	rows.map(([day, n, value]) => ({ day, n, value }));

const addDays = (day: string, days: number): string =>
	new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Consecutive days from `firstDay`: the i-th with `cases[i]` cases averaging `values[i]`. */
const dailyFrom = (firstDay: string, cases: number[], values: number[]): DailyValue[] =>
	cases.map((n, i) => ({ day: addDays(firstDay, i), n, value: values[i] }));

/** |actual − expected| ≤ 1e-9·max(1, |expected|): statsmodels and we sum in different orders. */
function close(actual: number | null | undefined, expected: number): void {
	expect(actual).not.toBeNull();
	expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
		1e-9 * Math.max(1, Math.abs(expected))
	);
}

function closeChange(
	change: Change | null,
	expected: { estimate: number; se: number; ci: [number, number]; p?: number; df?: number }
): void {
	expect(change).not.toBeNull();
	const c = change as Change;
	close(c.estimate, expected.estimate);
	close(c.standardError, expected.se);
	close(c.ci95?.[0], expected.ci[0]);
	close(c.ci95?.[1], expected.ci[1]);
	if (expected.p !== undefined) {
		// p-values down to 1e-5: compare relative to p itself.
		expect(Math.abs((c.pValue as number) / expected.p - 1)).toBeLessThan(1e-8);
	}
	if (expected.df !== undefined) close(c.df, expected.df);
}

/** Every number anywhere in the value is finite: NaN and ±Infinity fail (no JSON round trip). */
function assertFiniteOrNull(value: unknown, path = 'result'): void {
	if (typeof value === 'number') {
		expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
	} else if (Array.isArray(value)) {
		value.forEach((item, i) => assertFiniteOrNull(item, `${path}[${i}]`));
	} else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) assertFiniteOrNull(item, `${path}.${key}`);
	} else {
		expect(['string', 'boolean', 'undefined'].includes(typeof value) || value === null).toBe(true);
	}
}

// Handle time (minutes) over four weeks from Thursday 2026-10-01, no cases at weekends,
// falling about 0.05 a day with AR(1) day noise: 20 days with cases.
const A = dailyFrom(
	'2026-10-01',
	[
		41, 23, 0, 0, 36, 32, 40, 31, 29, 0, 0, 36, 34, 29, 20, 38, 0, 0, 23, 22, 27, 20, 36, 0, 0, 24,
		25, 41
	],
	[
		12.33, 12.69, 0, 0, 12.14, 11.75, 12.97, 11.39, 12.14, 0, 0, 12.65, 11.87, 11.76, 11.69, 10.89,
		0, 0, 10.88, 10.55, 10.67, 10.66, 11.42, 0, 0, 10.65, 10.16, 11.73
	]
);
// Seven days with 25 cases each: the minimum, and weighted = unweighted least squares.
const B = dailyFrom(
	'2026-09-07',
	[25, 25, 25, 25, 25, 25, 25],
	[0.275, 0.293, 0.287, 0.268, 0.338, 0.317, 0.315]
);
// A proportion over 40 days, many days with 1–3 cases (their values 0, 1/3, 1 are noise).
const C = dailyFrom(
	'2026-08-03',
	[
		70, 2, 1, 60, 3, 3, 3, 2, 40, 1, 55, 3, 70, 3, 1, 70, 1, 55, 2, 1, 3, 60, 70, 1, 70, 70, 2, 3,
		2, 60, 2, 1, 55, 55, 40, 70, 1, 3, 60, 70
	],
	[
		0.2429, 0.5, 0.0, 0.25, 0.0, 0.3333, 0.3333, 0.0, 0.2, 0.0, 0.1818, 0.0, 0.2571, 0.0, 0.0,
		0.2857, 0.0, 0.2, 0.0, 0.0, 0.3333, 0.2, 0.1714, 0.0, 0.2286, 0.2429, 0.0, 0.3333, 0.0, 0.2833,
		0.0, 0.0, 0.1636, 0.2, 0.125, 0.2429, 1.0, 0.0, 0.2667, 0.1857
	]
);
// A flat control cohort over A's first 12 working days, no cases at weekends.
const D = dailyFrom(
	'2026-10-01',
	[30, 28, 0, 0, 33, 26, 35, 31, 27, 0, 0, 30, 29, 34, 25, 32],
	[8.1, 8.4, 0, 0, 7.9, 8.3, 8.0, 8.6, 8.2, 0, 0, 8.1, 8.5, 7.8, 8.3, 8.2]
);
// A's pilot window: two weeks from Monday 2026-11-16, with a few weekend cases.
const P = dailyFrom(
	'2026-11-16',
	[30, 28, 31, 25, 33, 12, 9, 29, 30, 27, 26, 31],
	[10.1, 9.8, 10.3, 9.9, 10.0, 11.2, 11.5, 9.7, 10.2, 9.6, 10.4, 9.9]
);

// Golden values from statsmodels 0.13.5 (scipy 1.10.1, numpy 1.24.2, Python 3.11.2, Debian
// bookworm python3-statsmodels), days with n = 0 dropped, t = days since the first of the rest:
//   L = floor(4 * (T / 100) ** (2 / 9))
//   res = sm.WLS(y, sm.add_constant(t), weights=n).fit(
//       cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': True}, use_t=True)
//   slope, se, ci, p = res.params[1], res.bse[1], res.conf_int(0.05)[1], res.pvalues[1]
//   level = np.average(y, weights=n)
// (conf_int checked against slope ∓ scipy.stats.t.ppf(0.975, T - 2) * se.)
// The relative slope and its interval are slope / level and ci / level (every level here > 0).
const golden = [
	{
		name: 'A: handle time, weekends without cases',
		points: A,
		T: 20,
		lags: 2,
		slope: -0.06532865621689887,
		se: 0.012919305982083832,
		ci: [-0.09247111089927568, -0.03818620153452207] as [number, number],
		p: 8.213831721445612e-5,
		level: 11.643014827018122,
		meanDay: 20740.159802306425
	},
	{
		// sm.OLS(y, sm.add_constant(t)) with the same options gives the same slope and bse.
		name: 'B: seven days, equal cases',
		points: B,
		T: 7,
		lags: 2,
		slope: 0.00782142857142859,
		se: 0.0015924369698407093,
		ci: [0.0037279390208022492, 0.011914918122054932] as [number, number],
		p: 0.004429599817262551,
		level: 0.299,
		meanDay: 20706.0
	},
	{
		name: 'C: proportion, 40 days, three lags',
		points: C,
		T: 40,
		lags: 3,
		slope: -0.0006464034255595529,
		se: 0.0006266676559625877,
		ci: [-0.0019150257714181944, 0.0006222189202990886] as [number, number],
		p: 0.3088302771868922,
		level: 0.21853199300699302,
		meanDay: 20689.83479020979
	},
	{
		name: 'D: flat control',
		points: D,
		T: 12,
		lags: 2,
		slope: -0.0010826217710372121,
		se: 0.0069477958126510555,
		ci: [-0.016563275556724343, 0.014398032014649918] as [number, number],
		p: 0.8792736986852859,
		level: 8.186944444444444,
		meanDay: 20735.008333333335
	}
];

describe('baselineTrend: golden values (statsmodels WLS, HAC)', () => {
	it.each(golden)('$name', (g) => {
		const trend = baselineTrend(g.points);
		expect(trend.reasons).toEqual([]);
		expect(trend.days).toBe(g.T);
		expect(trend.lags).toBe(g.lags);
		close(trend.level, g.level);
		close(trend.meanDay, g.meanDay);
		closeChange(trend.slopePerDay, { estimate: g.slope, se: g.se, ci: g.ci, p: g.p, df: g.T - 2 });
		closeChange(trend.slopePerWeek, {
			estimate: 7 * g.slope,
			se: 7 * g.se,
			ci: [7 * g.ci[0], 7 * g.ci[1]],
			p: g.p
		});
		closeChange(trend.relativePerDay, {
			estimate: g.slope / g.level,
			se: g.se / g.level,
			ci: [g.ci[0] / g.level, g.ci[1] / g.level],
			p: g.p
		});
		closeChange(trend.relativePerWeek, {
			estimate: (7 * g.slope) / g.level,
			se: (7 * g.se) / g.level,
			ci: [(7 * g.ci[0]) / g.level, (7 * g.ci[1]) / g.level]
		});
		assertFiniteOrNull(trend);
	});

	it('names the first and last day with cases and counts the cases', () => {
		const trend = baselineTrend(A);
		expect([trend.firstDay, trend.lastDay, trend.cases]).toEqual(['2026-10-01', '2026-10-28', 607]);
	});

	it('is unchanged by the order of the points and by days without cases', () => {
		const shuffled = [...A].reverse().concat([{ day: '2026-10-29', n: 0, value: Number.NaN }]);
		expect(baselineTrend(shuffled)).toEqual(baselineTrend(A));
	});

	it('merges rows of the same day into their case-weighted value', () => {
		// 2026-10-05: 36 cases at 12.14 split as 12 at 12.5 and 24 at 11.96.
		const split = A.flatMap((p) =>
			p.day === '2026-10-05'
				? [
						{ day: p.day, n: 12, value: 12.5 },
						{ day: p.day, n: 24, value: 11.96 }
					]
				: [p]
		);
		const trend = baselineTrend(split);
		closeChange(trend.slopePerDay, {
			estimate: golden[0].slope,
			se: golden[0].se,
			ci: golden[0].ci
		});
	});

	it('does not move when every value is shifted or every day is moved by the same amount', () => {
		const shifted = A.map((p) => ({ ...p, value: p.value + 100 }));
		close(baselineTrend(shifted).slopePerDay?.estimate, golden[0].slope);
		close(baselineTrend(shifted).slopePerDay?.standardError, golden[0].se);
		const later = A.map((p) => ({ ...p, day: addDays(p.day, 364) }));
		close(baselineTrend(later).slopePerDay?.standardError, golden[0].se);
	});
});

describe('neweyWestLags: floor(4·(T/100)^(2/9))', () => {
	it.each([
		[1, 0],
		[2, 1],
		[7, 2],
		[27, 2],
		[28, 3],
		[99, 3],
		[100, 4],
		[365, 5]
	])('%i days → %i lags', (days, lags) => {
		expect(neweyWestLags(days)).toBe(lags);
	});
});

const sevenDays = (values: number[], n: number[] = values.map(() => 20)): DailyValue[] =>
	values.map((value, i) => ({ day: `2026-03-0${i + 1}`, n: n[i], value }));

describe('baselineTrend: degenerate input', () => {
	const cases: {
		name: string;
		points: DailyValue[];
		reason: TrendReason;
		slope: 'null' | 'estimate only' | 'full';
		estimate?: number;
	}[] = [
		{ name: 'no points', points: [], reason: 'too_few_days', slope: 'null' },
		{
			name: 'six days with cases',
			points: sevenDays([1, 2, 3, 4, 5, 6, 7]).slice(0, 6),
			reason: 'too_few_days',
			slope: 'null'
		},
		{
			name: 'seven days, one of them without cases',
			points: sevenDays([1, 2, 3, 4, 5, 6, 7], [20, 20, 20, 0, 20, 20, 20]),
			reason: 'too_few_days',
			slope: 'null'
		},
		{
			name: 'all cases on one day',
			points: sevenDays([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 140, 0, 0, 0]),
			reason: 'no_time_variance',
			slope: 'null'
		},
		{
			name: 'constant values',
			points: sevenDays([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [3, 50, 7, 1, 20, 9, 31]),
			reason: 'no_residual_variance',
			slope: 'estimate only',
			estimate: 0
		},
		{
			name: 'values exactly on a line',
			points: sevenDays([10.1, 10.3, 10.5, 10.7, 10.9, 11.1, 11.3], [3, 50, 7, 1, 20, 9, 31]),
			reason: 'no_residual_variance',
			slope: 'estimate only',
			estimate: 0.2
		},
		{
			name: 'level 0: no relative slope',
			points: sevenDays([-3, 1, -2, 2, 0, 1, 1]),
			reason: 'zero_baseline',
			slope: 'full'
		},
		{
			name: 'a date that does not exist',
			points: [...sevenDays([1, 2, 3, 4, 5, 6, 7]), { day: '2026-02-30', n: 1, value: 1 }],
			reason: 'invalid_points',
			slope: 'null'
		},
		{
			name: 'a date with a time',
			points: [...sevenDays([1, 2, 3, 4, 5, 6, 7]), { day: '2026-03-08T00:00', n: 1, value: 1 }],
			reason: 'invalid_points',
			slope: 'null'
		},
		{
			name: 'negative cases',
			points: sevenDays([1, 2, 3, 4, 5, 6, 7], [20, 20, 20, -1, 20, 20, 20]),
			reason: 'invalid_points',
			slope: 'null'
		},
		{
			name: 'a day with cases and no value',
			points: sevenDays([1, 2, 3, Number.NaN, 5, 6, 7]),
			reason: 'invalid_points',
			slope: 'null'
		},
		{
			name: 'infinite cases',
			points: sevenDays([1, 2, 3, 4, 5, 6, 7], [20, 20, 20, Infinity, 20, 20, 20]),
			reason: 'invalid_points',
			slope: 'null'
		},
		{
			name: 'values too large to square',
			points: sevenDays([1e200, 2e200, 3e200, 1e200, 5e200, 6e200, 4e200]),
			reason: 'numeric_overflow',
			slope: 'null'
		}
	];

	it.each(cases)('$name → $reason', (c) => {
		const trend = baselineTrend(c.points);
		expect(trend.reasons).toContain(c.reason);
		const shape =
			trend.slopePerDay === null
				? 'null'
				: trend.slopePerDay.ci95 === null
					? 'estimate only'
					: 'full';
		expect(shape).toBe(c.slope);
		if (c.estimate !== undefined) close(trend.slopePerDay?.estimate, c.estimate);
		if (trend.slopePerDay?.ci95 === null) {
			expect(trend.slopePerDay.pValue).toBeNull();
			expect(trend.slopePerDay.standardError).toBe(0);
		}
		if (c.reason === 'zero_baseline') {
			expect(trend.relativePerDay).toBeNull();
			expect(trend.slopePerWeek).not.toBeNull();
		}
		assertFiniteOrNull(trend);
		assertFiniteOrNull(trendProjection(trend, trend.meanDay, 20800, trend.level));
		const text = describeTrend(trend, trendProjection(trend, trend.meanDay, 20800, trend.level));
		expect(text).not.toMatch(/NaN|Infinity|undefined/);
	});

	it('says so in words when the trend cannot be estimated', () => {
		expect(describeTrend(baselineTrend([]))).toBe(
			'The baseline’s trend could not be estimated: fewer than 7 days with cases, too few to estimate a trend.'
		);
	});
});

describe('trendProjection: slope × gap between the windows’ mean days', () => {
	// python: gap = np.average(pilot days, weights=n) − A's mean day; estimate = slope·gap,
	// interval = res.conf_int()[1]·gap; relative = ÷ level (A's case-weighted value).
	const trend = baselineTrend(A);
	const pilotMeanDay = caseWeightedMeanDay(P);

	it('golden values', () => {
		close(pilotMeanDay, 20778.459807073956);
		const projection = trendProjection(trend, trend.meanDay, pilotMeanDay, trend.level);
		expect(projection.reasons).toEqual([]);
		close(projection.gapDays, 38.30000476753048);
		close(projection.absolute?.estimate, -2.5020878445635866);
		close(projection.absolute?.ci95?.[0], -3.5416439883010984);
		close(projection.absolute?.ci95?.[1], -1.462531700826075);
		close(projection.relative?.estimate, -0.21490033996670543);
		close(projection.relative?.ci95?.[0], -0.30418616148135097);
		close(projection.relative?.ci95?.[1], -0.1256145184520599);
		expect(projection.absolute?.pValue).toBe(trend.slopePerDay?.pValue);
		assertFiniteOrNull(projection);
	});

	it('a pilot before the baseline flips the sign and keeps the interval ordered', () => {
		const projection = trendProjection(trend, trend.meanDay, (trend.meanDay as number) - 10, 11);
		const ci = projection.absolute?.ci95 as [number, number];
		expect(projection.absolute?.estimate).toBeGreaterThan(0);
		expect(ci[0]).toBeLessThan(ci[1]);
	});

	it.each([
		{ name: 'no gap', pilot: 20740.159802306425, value: 11, reasons: [], absolute: [0, 0] },
		{ name: 'no pilot cases', pilot: null, value: 11, reasons: ['no_pilot_cases'], absolute: null },
		{
			name: 'baseline value 0',
			pilot: 20778,
			value: 0,
			reasons: ['zero_baseline'],
			absolute: 'full'
		},
		{
			name: 'no baseline value',
			pilot: 20778,
			value: null,
			reasons: ['no_baseline_value'],
			absolute: 'full'
		}
	])('$name', (c) => {
		const projection = trendProjection(trend, trend.meanDay, c.pilot, c.value);
		expect(projection.reasons).toEqual(c.reasons);
		if (c.absolute === null) expect(projection.absolute).toBeNull();
		else if (c.absolute === 'full') expect(projection.absolute?.ci95).not.toBeNull();
		else expect(projection.absolute?.ci95).toEqual(c.absolute);
		if (c.value === 0 || c.value === null) expect(projection.relative).toBeNull();
		assertFiniteOrNull(projection);
	});

	it('carries the trend’s reasons when the trend has none', () => {
		const projection = trendProjection(baselineTrend(A.slice(0, 5)), 20730, 20778, 11);
		expect(projection.absolute).toBeNull();
		expect(projection.reasons).toEqual(['too_few_days']);
	});

	it('one sentence for leadership', () => {
		const projection = trendProjection(trend, trend.meanDay, pilotMeanDay, trend.level);
		expect(describeTrend(trend, projection)).toBe(
			'The baseline was already falling 3.93% a week (95% interval -5.56% to -2.3%): over the 38.3 days between the middles of the two windows that alone would explain a change of -21.5%.'
		);
		expect(describeTrend(baselineTrend(D))).toBe(
			'The baseline showed no clear trend (-0.0926% a week, 95% interval -1.42% to +1.23%).'
		);
		expect(describeTrend(baselineTrend(sevenDays([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])))).toBe(
			'The baseline was flat.'
		);
	});
});

describe('weekdayMix', () => {
	// python: per weekday (date.weekday()) baseline cases, Σn·value / Σn, pilot cases;
	// shares = cases / total; a weekday without baseline cases takes the overall value;
	// explained = Σ share_pilot·value − Σ share_baseline·value.
	it('golden values: A’s working-day baseline against a pilot with weekend cases', () => {
		const mix = weekdayMix(A, P);
		expect(mix.reasons).toEqual(['weekday_without_baseline']);
		expect(mix.weekdaysWithoutBaseline).toEqual(['Saturday', 'Sunday']);
		const baselineShares = [
			0.19604612850082373, 0.18616144975288304, 0.2257001647446458, 0.18451400329489293,
			0.20757825370675453, 0, 0
		];
		const pilotShares = [
			0.18971061093247588, 0.1864951768488746, 0.1864951768488746, 0.1639871382636656,
			0.2057877813504823, 0.03858520900321544, 0.028938906752411574
		];
		const values = [
			11.750252100840338,
			11.200707964601769,
			11.889489051094891,
			11.65732142857143,
			11.657698412698412,
			null,
			null
		];
		mix.weekdays.forEach((row, w) => {
			close(row.baselineShare, baselineShares[w]);
			close(row.pilotShare, pilotShares[w]);
			if (values[w] === null) expect(row.baselineValue).toBeNull();
			else close(row.baselineValue, values[w] as number);
		});
		expect(mix.weekdays.map((r) => r.weekday).join(' ')).toBe(
			'Monday Tuesday Wednesday Thursday Friday Saturday Sunday'
		);
		close(mix.baselineValue, 11.64301482701812);
		close(mix.absolute, -0.010809992621954478);
		close(mix.relative, -0.0009284530495374293);
		close(mix.pilotMixValue, 11.64301482701812 - 0.010809992621954478);
		assertFiniteOrNull(mix);
		expect(describeWeekdayMix(mix)).toBe(
			'The pilot’s weekday mix differs from the baseline’s: that alone would explain a change of -0.0928% (Saturday and Sunday had no baseline cases and count at the overall baseline value).'
		);
	});

	it('reads the weekday from the date itself', () => {
		// 2026-11-29 is a Sunday, 2024-02-29 a Thursday, 1970-01-01 a Thursday, 1969-12-29 a Monday.
		const one = (day: string): string | undefined =>
			weekdayMix([{ day, n: 1, value: 1 }], []).weekdays.find((r) => r.baselineCases === 1)
				?.weekday;
		expect(['2026-11-29', '2024-02-29', '1970-01-01', '1969-12-29'].map(one)).toEqual([
			'Sunday',
			'Thursday',
			'Thursday',
			'Monday'
		]);
		expect(dayNumber('1970-01-02')).toBe(1);
		expect(dayNumber('2026-13-01')).toBeNull();
	});

	it('a mix that explains a rise: more pilot cases on the slow weekday', () => {
		// Baseline: Mondays at 10 (10 cases), Tuesdays at 20 (10 cases) → 15.
		// Pilot: 30 Monday cases, 10 Tuesday cases → 0.25·20 + 0.75·10 = 12.5: −2.5, −1/6.
		const base = daily([
			['2026-11-02', 10, 10],
			['2026-11-03', 10, 20]
		]);
		const pilot = daily([
			['2026-11-09', 30, 99],
			['2026-11-10', 10, 99]
		]);
		const mix = weekdayMix(base, pilot);
		close(mix.absolute, -2.5);
		close(mix.relative, -1 / 6);
		expect(mix.reasons).toEqual([]);
	});

	it('the same mix explains exactly nothing', () => {
		const mix = weekdayMix(A, A);
		expect(mix.absolute).toBe(0);
		expect(describeWeekdayMix(mix)).toBe(
			'The pilot’s weekday mix matches the baseline’s, so it explains none of the change.'
		);
	});

	it.each([
		{ name: 'no baseline cases', base: [], pilot: P, reasons: ['no_baseline_cases'] },
		{ name: 'no pilot cases', base: A, pilot: [], reasons: ['no_pilot_cases'] },
		{
			name: 'an invalid pilot day',
			base: A,
			pilot: [{ day: '26-11-01', n: 3, value: 1 }],
			reasons: ['invalid_points']
		},
		{
			name: 'baseline value 0',
			base: daily([
				['2026-11-02', 10, -1],
				['2026-11-03', 10, 1]
			]),
			pilot: daily([['2026-11-09', 5, 1]]),
			reasons: ['zero_baseline']
		}
	])('$name', (c) => {
		const mix = weekdayMix(c.base, c.pilot);
		expect(mix.reasons).toEqual(c.reasons);
		expect(mix.relative).toBeNull();
		assertFiniteOrNull(mix);
		expect(describeWeekdayMix(mix)).not.toMatch(/NaN|Infinity|undefined/);
	});
});

describe('parallelTrends', () => {
	// python: diff = slope_A − slope_D; se = sqrt(bse_A² + bse_D²);
	// df = (vA + vD)² / (vA²/18 + vD²/10); ci = diff ∓ scipy.stats.t.ppf(0.975, df)·se;
	// p = 2·scipy.stats.t.cdf(−|diff/se|, df).
	it('golden values: a falling AI cohort against a flat control', () => {
		const result = parallelTrends(baselineTrend(A), baselineTrend(D));
		closeChange(result.difference, {
			estimate: -0.06424603444586166,
			se: 0.01466902633827476,
			ci: [-0.09439851800098513, -0.03409355089073819],
			p: 0.00017270432207965844,
			df: 26.00233742730891
		});
		expect(result.parallel).toBe(false);
		close(result.differencePerWeek?.estimate, 7 * -0.06424603444586166);
		assertFiniteOrNull(result);
		expect(describeParallelTrends(result)).toBe(
			'The AI and control cohorts’ baselines were not moving in parallel (difference in slope -0.45 a week, 95% interval -0.661 to -0.239), so the control cohort may not show what the AI cohort would have done without AI.'
		);
	});

	it('two flat cohorts are parallel', () => {
		const result = parallelTrends(baselineTrend(D), baselineTrend(D));
		expect(result.difference?.estimate).toBe(0);
		expect(result.parallel).toBe(true);
		expect(describeParallelTrends(result)).toMatch(
			/^The AI and control cohorts’ baselines moved in parallel/
		);
	});

	const exactLine = baselineTrend(sevenDays([1, 2, 3, 4, 5, 6, 7]));
	it.each<{ name: string; ai: BaselineTrend; control: BaselineTrend; reason: TrendReason }>([
		{
			name: 'AI cohort without a trend',
			ai: baselineTrend([]),
			control: baselineTrend(D),
			reason: 'too_few_days'
		},
		{ name: 'both exact lines', ai: exactLine, control: exactLine, reason: 'no_residual_variance' }
	])('$name → not checked', (c) => {
		const result = parallelTrends(c.ai, c.control);
		expect(result.parallel).toBeNull();
		expect(result.reasons).toContain(c.reason);
		assertFiniteOrNull(result);
		expect(describeParallelTrends(result)).toMatch(/could not be checked/);
	});
});
