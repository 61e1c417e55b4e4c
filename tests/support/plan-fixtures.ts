// The plans the unit tests share, as a client writes them: the email triage example of
// docs/api.md and its metrics one by one, and the three-week plans of the metrics core's
// tests. Only tests import this module; each test spells out what differs from it.

import type { MetricDefinition, PlanInput } from '../../src/lib/schemas/plan';

/** Handling time in minutes (to fall by `relative`): the primary metric of the examples. */
export function handlingTime(relative?: number, measure = 'handling_minutes'): MetricDefinition {
	return {
		key: 'handling_time',
		label: 'Handling time',
		unit: 'min',
		kind: 'mean',
		measure,
		direction: 'decrease',
		role: 'primary',
		...(relative === undefined ? {} : { target: { relative } }),
		staffTime: true
	};
}

/** Wrong cases, a guardrail that may rise by `absolute` at the most, each worth `valuePerUnit`. */
export function errorRate(absolute: number, valuePerUnit?: number): MetricDefinition {
	return {
		key: 'error_rate',
		kind: 'proportion',
		measure: 'error',
		direction: 'decrease',
		role: 'guardrail',
		tolerance: { absolute },
		...(valuePerUnit === undefined ? {} : { valuePerUnit })
	};
}

/** The 90th percentile of a measure, to fall. */
export function p90(key: string, measure: string): MetricDefinition {
	return {
		key,
		kind: 'quantile',
		quantile: 0.9,
		measure,
		direction: 'decrease',
		role: 'secondary'
	};
}

/** Cost per resolved case: a ratio of two measures, to fall. */
export const costPerResolved: MetricDefinition = {
	key: 'cost_per_resolved',
	kind: 'ratio',
	numerator: 'cost_eur',
	denominator: 'resolved',
	direction: 'decrease',
	role: 'secondary'
};

/** The windows of the email triage example: September, then three weeks of October (Madrid). */
export const exampleWindows = {
	baselineWindow: { start: '2026-09-01T00:00:00+02:00', end: '2026-10-01T00:00:00+02:00' },
	pilotWindow: { start: '2026-10-01T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' }
};

/** The economics of the email triage example. */
export const exampleEconomics = {
	currency: 'EUR',
	hourlyCost: 38,
	monthlyVolume: 4000,
	timeRecapture: 0.5,
	costs: { oneOff: 12000, monthly: 900, perCase: 0.02 }
};

/** Customer satisfaction, a guardrail that may fall by `absolute` at the most. */
export function satisfaction(absolute: number, label?: string): MetricDefinition {
	return {
		key: 'csat',
		...(label === undefined ? {} : { label }),
		kind: 'mean',
		measure: 'csat',
		direction: 'increase',
		role: 'guardrail',
		tolerance: { absolute }
	};
}

/**
 * The email triage example of docs/api.md, but for its time zone, satisfaction guardrail,
 * settings and charter: four metrics, errors allowed to rise by `errorTolerance`.
 */
export function emailTriage(errorTolerance: number): PlanInput {
	return {
		slug: 'email-triage',
		name: 'Email triage assistant',
		...exampleWindows,
		economics: exampleEconomics,
		metrics: [
			handlingTime(-0.2),
			errorRate(errorTolerance, 25),
			costPerResolved,
			p90('first_response_p90', 'first_response_minutes')
		]
	};
}

/** Three weeks of baseline, then three weeks of pilot, in UTC. */
export const threeWeekWindows = {
	baselineWindow: { start: '2026-09-01T00:00:00Z', end: '2026-09-21T00:00:00Z' },
	pilotWindow: { start: '2026-09-21T00:00:00Z', end: '2026-10-12T00:00:00Z' }
};

/** A report's context at the end of `threeWeekWindows`: 21 days into the pilot. */
export const threeWeeksIn = {
	generatedAt: '2026-10-12T00:00:00Z',
	stage: 'running',
	pilotDaysElapsed: 21,
	governanceMissing: []
};

/**
 * A plan over `threeWeekWindows` named `name` (its slug the name in lower case), whose staff
 * time costs 40 EUR an hour, all of it recaptured, against 100 EUR a month.
 */
export function threeWeekPlan(
	name: string,
	plannedPilotCases: number,
	monthlyVolume: number,
	metrics: MetricDefinition[]
): PlanInput {
	return {
		slug: name.toLowerCase(),
		name,
		...threeWeekWindows,
		plannedPilotCases,
		economics: {
			currency: 'EUR',
			hourlyCost: 40,
			monthlyVolume,
			timeRecapture: 1,
			costs: { oneOff: 0, monthly: 100, perCase: 0 }
		},
		metrics
	};
}
