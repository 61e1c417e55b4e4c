// Longer than most files, on purpose: it is data: the demo portfolio's plans and simulated
// outcomes.

import { TZDate } from '@date-fns/tz';
import { seededRandom, type Random } from '$lib/metrics/random';
import type { PlanInput } from '$lib/schemas/plan';
import type { Cohort, Phase } from '$lib/domain/terms';

// Measurement plans and simulated outcome events for the demo portfolio: deterministic
// (seeded), with weekday seasonality, so every screen shows something true of its data.
// One pilot clearly works, one breaks a guardrail, one shows no effect, one is still
// collecting its baseline. Cases belong to segments (areas, channels, teams, contract types)
// that differ as real ones do; in the email triage pilot, billing emails are misrouted far
// more often with the AI while the other areas improve, so the total error rate holds.

export interface DemoMeasurement {
	plan: Pick<PlanInput, 'metrics' | 'economics' | 'minSamples' | 'evaluationGates'>;
	/** Quality runs of the AI, oldest first. */
	evaluations?: {
		name: string;
		runAt: string;
		criteria: Record<string, { passed: number; total: number }>;
	}[];
	/** Outcome events are simulated for these days (inclusive) of each window, if any. */
	simulate?: {
		seed: number;
		/** Cases on an ordinary weekday. */
		casesPerWeekday: number;
		/** Share of cases handled without the AI during both windows (a hold-out team). */
		controlShare?: number;
		baselineDays: { firstDay: string; lastDay: string };
		pilotDays: { firstDay: string; lastDay: string } | null;
		/** What the cases are split by (area, channel, team), with each one's share of cases. */
		segments?: readonly { name: string; share: number }[];
		measures: (
			r: Random,
			phase: Phase,
			cohort: Cohort,
			weekday: number,
			segment: string | null
		) => Record<string, number>;
	};
}

/** Monday busiest, Friday lighter, the weekend nearly empty (cases per weekday factor). */
const volumeByWeekday = [0.1, 1.25, 1.1, 1.0, 1.0, 0.8, 0.15];
/** Mondays are slower per case too (backlog from the weekend). */
const effortByWeekday = [1, 1.12, 1.02, 1, 1, 0.96, 1];

const positive = (x: number, floor = 0.1): number => Math.max(floor, Math.round(x * 100) / 100);
const bernoulli = (r: Random, p: number): number => (r.uniform() < p ? 1 : 0);
const lognormal = (r: Random, median: number, spread: number): number =>
	median * Math.exp(spread * r.normal());

/**
 * A segment's value of `table`, else `fallback`. The factors of each pilot's segments average
 * to 1 over their shares, so the segments spread the cases without moving the totals.
 */
const bySegment = (
	segment: string | null,
	table: Readonly<Record<string, number>>,
	fallback = 1
): number => (segment === null ? fallback : (table[segment] ?? fallback));

/** A case's time: lognormal about `median`, slower on busy weekdays, scaled by its segment. */
const timeTaken = (
	r: Random,
	median: number,
	weekday: number,
	segmentFactor: number,
	spread: number
): number => positive(lognormal(r, median * effortByWeekday[weekday] * segmentFactor, spread));

/** Email triage: the support areas of incoming emails. */
const emailAreas = [
	{ name: 'billing', share: 0.25 },
	{ name: 'technical', share: 0.3 },
	{ name: 'account', share: 0.25 },
	{ name: 'shipping', share: 0.2 }
] as const;
/** Minutes per email by area, before and with the AI: technical questions gain the least. */
const emailMinutesBefore = { billing: 1.1, technical: 1.25, account: 0.85, shipping: 0.7 };
const emailMinutesWithAi = { billing: 0.9, technical: 1.4, account: 0.85, shipping: 0.7 };
/**
 * Misrouted emails with the AI: it sends billing questions (refunds, disputes, dunning) to
 * the wrong queue far more often than people did, and routes the other areas better, so the
 * total stays where it was (4.5%).
 */
const emailMisroutedWithAi = { billing: 0.15, technical: 0.01, account: 0.01, shipping: 0.01 };

type DemoPlan = DemoMeasurement['plan'];
type PlanMetric = DemoPlan['metrics'][number];
type Days = { firstDay: string; lastDay: string };

/** The primary metric of each demo pilot: the time a case takes, to fall by `relative`. */
function timePerCase(
	[key, label, unit, measure]: [key: string, label: string, unit: string, measure: string],
	relative: number,
	staffTime = true
): PlanMetric {
	const target = { relative };
	return {
		key,
		label,
		unit,
		kind: 'mean',
		measure,
		direction: 'decrease',
		role: 'primary',
		target,
		staffTime
	};
}

/** A share of cases that goes wrong, a guardrail that may rise by `absolute` at the most. */
function errorShare(
	[key, label, measure]: [key: string, label: string, measure: string],
	absolute: number,
	valuePerUnit: number
): PlanMetric {
	const tolerance = { absolute };
	return {
		key,
		label,
		kind: 'proportion',
		measure,
		direction: 'decrease',
		role: 'guardrail',
		tolerance,
		valuePerUnit
	};
}

/** A demo plan: every one asks for 30 cases per group and counts in euros. */
function demoPlan(
	metrics: PlanMetric[],
	[hourlyCost, monthlyVolume, timeRecapture]: [number, number, number],
	costs: { oneOff: number; monthly: number; perCase: number },
	evaluationGates?: DemoPlan['evaluationGates']
): DemoPlan {
	const economics = { currency: 'EUR', hourlyCost, monthlyVolume, timeRecapture, costs };
	return { metrics, economics, minSamples: 30, ...(evaluationGates ? { evaluationGates } : {}) };
}

/** What every simulation says: its seed, its volume, and the days of each window it fills. */
function simulation(
	seed: number,
	casesPerWeekday: number,
	[baselineFirst, baselineLast]: [string, string],
	pilot: [string, string] | null
): { seed: number; casesPerWeekday: number; baselineDays: Days; pilotDays: Days | null } {
	const days = (firstDay: string, lastDay: string): Days => ({ firstDay, lastDay });
	return {
		seed,
		casesPerWeekday,
		baselineDays: days(baselineFirst, baselineLast),
		pilotDays: pilot && days(...pilot)
	};
}

/** Segments from their shares of cases, in order. */
const segmentsOf = (shares: Record<string, number>): { name: string; share: number }[] =>
	Object.entries(shares).map(([name, share]) => ({ name, share }));

/** Passed and total. */
type Counted = [passed: number, total: number];

/** A quality run of the email triage prompt: passed and total per criterion. */
function promptRun(
	name: string,
	runAt: string,
	[correct, sensitiveDataKept, tone]: [Counted, Counted, Counted]
): NonNullable<DemoMeasurement['evaluations']>[number] {
	const counted = ([passed, total]: Counted) => ({ passed, total });
	return {
		name,
		runAt,
		criteria: {
			correct: counted(correct),
			sensitiveDataKept: counted(sensitiveDataKept),
			tone: counted(tone)
		}
	};
}

export const demoMeasurements: Record<string, DemoMeasurement> = {
	// Clearly works: handling time down about 30%, errors and satisfaction hold.
	'Email triage assistant': {
		plan: demoPlan(
			[
				timePerCase(['handling_time', 'Handling time', 'min', 'handling_minutes'], -0.2),
				errorShare(['error_rate', 'Misrouted tickets', 'misrouted'], 0.02, 25),
				{
					key: 'first_response_p90',
					label: 'First response, 90th percentile',
					unit: 'min',
					kind: 'quantile',
					quantile: 0.9,
					measure: 'first_response_minutes',
					direction: 'decrease',
					role: 'secondary'
				},
				{
					key: 'csat',
					label: 'Customer satisfaction',
					kind: 'mean',
					measure: 'csat',
					direction: 'increase',
					role: 'guardrail',
					tolerance: { absolute: 0.2 }
				},
				{
					key: 'escalated_share',
					label: 'Cases escalated to a person',
					kind: 'proportion',
					measure: 'escalated',
					direction: 'decrease',
					role: 'secondary',
					adoption: true
				}
			],
			[38, 4000, 0.5],
			{ oneOff: 12000, monthly: 900, perCase: 0.02 },
			{ correct: 0.9, sensitiveDataKept: 1 }
		),
		evaluations: [
			promptRun('prompt v2', '2026-09-24T10:00:00Z', [
				[104, 120],
				[119, 120],
				[55, 60]
			]),
			promptRun('prompt v3', '2026-10-08T10:00:00Z', [
				[116, 120],
				[120, 120],
				[58, 60]
			])
		],
		simulate: {
			...simulation(101, 60, ['2026-09-01', '2026-09-30'], ['2026-10-01', '2026-10-21']),
			controlShare: 0.1,
			segments: emailAreas,
			measures: (r, phase, cohort, weekday, segment) => {
				const ai = phase === 'pilot' && cohort === 'ai';
				const area = ai
					? 9.8 * bySegment(segment, emailMinutesWithAi)
					: 14.2 * bySegment(segment, emailMinutesBefore);
				const minutes = area * effortByWeekday[weekday] * (1 + 0.03 * r.normal());
				return {
					handling_minutes: positive(lognormal(r, minutes, 0.35)),
					misrouted: bernoulli(r, ai ? bySegment(segment, emailMisroutedWithAi, 0.045) : 0.045),
					first_response_minutes: positive(lognormal(r, ai ? 28 : 41, 0.6), 1),
					csat: Math.min(5, Math.max(1, Math.round(4.2 + 0.9 * r.normal()))),
					escalated: bernoulli(r, ai ? 0.12 : 0.18)
				};
			}
		}
	},
	// Still collecting its baseline: no pilot events yet.
	'Internal FAQ answers': {
		plan: demoPlan(
			[
				timePerCase(['resolution_time', 'Time to answer', 'h', 'resolution_hours'], -0.3, false),
				errorShare(['escalation_rate', 'Escalated to HR staff', 'escalated'], 0.08, 15)
			],
			[34, 900, 0.5],
			{ oneOff: 8000, monthly: 400, perCase: 0.01 }
		),
		simulate: {
			...simulation(202, 35, ['2026-11-02', '2026-11-20'], null),
			// Questions by topic: payroll questions wait for the monthly run.
			segments: segmentsOf({ 'leave and absence': 0.4, payroll: 0.35, benefits: 0.25 }),
			measures: (r, _phase, _cohort, weekday, segment) => ({
				resolution_hours: timeTaken(
					r,
					6.5,
					weekday,
					bySegment(segment, { 'leave and absence': 0.75, payroll: 1.3, benefits: 1.0 }),
					0.7
				),
				escalated: bernoulli(r, 0.22)
			})
		}
	},
	// Worked and was scaled: handling time down about 45%, posting errors unchanged.
	'Invoice data extraction': {
		plan: demoPlan(
			[
				timePerCase(
					['handling_time', 'Handling time per invoice', 'min', 'handling_minutes'],
					-0.25
				),
				errorShare(['posting_errors', 'Posting errors', 'posting_error'], 0.01, 40)
			],
			[32, 2500, 0.6],
			{ oneOff: 18000, monthly: 600, perCase: 0.05 }
		),
		simulate: {
			...simulation(303, 110, ['2026-06-15', '2026-07-03'], ['2026-07-06', '2026-07-31']),
			// How invoices arrive: scanned paper gains least from extraction.
			segments: segmentsOf({ 'email PDF': 0.55, 'supplier portal': 0.3, 'scanned paper': 0.15 }),
			measures: (r, phase, _cohort, weekday, segment) => ({
				handling_minutes: positive(
					lognormal(
						r,
						(phase === 'pilot'
							? 3.6 *
								bySegment(segment, {
									'email PDF': 0.9,
									'supplier portal': 0.8,
									'scanned paper': 1.7
								})
							: 6.5 *
								bySegment(segment, {
									'email PDF': 1.0,
									'supplier portal': 0.85,
									'scanned paper': 1.3
								})) * effortByWeekday[weekday],
						0.4
					)
				),
				posting_error: bernoulli(r, 0.012)
			})
		}
	},
	// No effect: after-call work the same before and during the pilot.
	'Call summaries to CRM': {
		plan: demoPlan(
			[
				timePerCase(['after_call_minutes', 'After-call work', 'min', 'after_call_minutes'], -0.25),
				{
					key: 'tasks_logged',
					label: 'Calls with follow-up logged',
					kind: 'proportion',
					measure: 'task_logged',
					direction: 'increase',
					role: 'secondary',
					target: { absolute: 0.1 }
				}
			],
			[42, 3000, 0.5],
			{ oneOff: 5000, monthly: 2400, perCase: 0.1 }
		),
		simulate: {
			...simulation(404, 45, ['2026-08-24', '2026-09-11'], ['2026-09-14', '2026-10-09']),
			// Teams: renewals calls need the longest notes; no team gains from the summaries.
			segments: segmentsOf({ 'inbound sales': 0.45, renewals: 0.3, 'customer care': 0.25 }),
			measures: (r, _phase, _cohort, weekday, segment) => ({
				after_call_minutes: timeTaken(
					r,
					8.5,
					weekday,
					bySegment(segment, { 'inbound sales': 0.9, renewals: 1.25, 'customer care': 0.86 }),
					0.45
				),
				task_logged: bernoulli(r, 0.62)
			})
		}
	},
	// Breaks a guardrail: faster reviews, but more non-standard clauses missed.
	'Contract clause review': {
		plan: demoPlan(
			[
				timePerCase(['review_hours', 'Review time per contract', 'h', 'review_hours'], -0.25),
				errorShare(
					['missed_clauses', 'Contracts with a missed clause', 'missed_clause'],
					0.02,
					1500
				)
			],
			[85, 260, 0.7],
			{ oneOff: 25000, monthly: 1500, perCase: 0.3 }
		),
		simulate: {
			...simulation(505, 14, ['2026-10-19', '2026-11-06'], ['2026-11-09', '2026-11-25']),
			// Contract types: framework agreements take longest to read.
			segments: segmentsOf({ NDA: 0.45, 'supplier agreement': 0.35, 'framework agreement': 0.2 }),
			measures: (r, phase, _cohort, _weekday, segment) => ({
				review_hours: positive(
					lognormal(
						r,
						(phase === 'pilot' ? 2.2 : 3.2) *
							bySegment(segment, {
								NDA: 0.6,
								'supplier agreement': 1.1,
								'framework agreement': 1.725
							}),
						0.35
					)
				),
				missed_clause: bernoulli(r, phase === 'pilot' ? 0.13 : 0.03)
			})
		}
	}
};

export interface DemoEventInput {
	id: string;
	occurredAt: string;
	segment?: string;
	cohort: Cohort;
	measures: Record<string, number>;
}

/**
 * Segments are drawn from a stream of their own, so that adding them left every other draw
 * (volumes, times, cohorts, measures) as it was.
 */
const SEGMENT_STREAM = 0x5e9;

function segmentAt(u: number, segments: readonly { name: string; share: number }[]): string {
	let cumulative = 0;
	for (const s of segments) {
		cumulative += s.share;
		if (u < cumulative) return s.name;
	}
	return segments[segments.length - 1].name;
}

/** The simulated outcome events of one demo pilot, in time order. */
export function demoEvents(
	prefix: string,
	timezone: string,
	simulate: NonNullable<DemoMeasurement['simulate']>
): DemoEventInput[] {
	const r = seededRandom(simulate.seed);
	const segments = simulate.segments;
	const segmentDraws = seededRandom(simulate.seed * 1000 + SEGMENT_STREAM);
	const events: DemoEventInput[] = [];
	const windows: [Phase, { firstDay: string; lastDay: string } | null][] = [
		['baseline', simulate.baselineDays],
		['pilot', simulate.pilotDays]
	];
	for (const [phase, days] of windows) {
		if (!days) continue;
		for (let day = days.firstDay; day <= days.lastDay; day = nextDay(day)) {
			const [y, m, d] = day.split('-').map(Number);
			const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
			const cases = Math.max(
				0,
				Math.round(simulate.casesPerWeekday * volumeByWeekday[weekday] * (1 + 0.12 * r.normal()))
			);
			for (let i = 0; i < cases; i++) {
				// Working hours, 8:00 to 18:00 local time.
				const minute = 8 * 60 + Math.floor(r.uniform() * 600);
				const at = new TZDate(y, m - 1, d, Math.floor(minute / 60), minute % 60, timezone);
				const cohort: Cohort = r.uniform() < (simulate.controlShare ?? 0) ? 'control' : 'ai';
				const segment = segments ? segmentAt(segmentDraws.uniform(), segments) : null;
				events.push({
					id: `${prefix}-${day}-${i + 1}`,
					occurredAt: new Date(at.getTime()).toISOString(),
					...(segment === null ? {} : { segment }),
					cohort,
					measures: simulate.measures(r, phase, cohort, weekday, segment)
				});
			}
		}
	}
	return events;
}

function nextDay(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
