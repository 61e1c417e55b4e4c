import type { Economics, MetricDefinition } from '../schemas/plan';
import type { Comparison } from './compare';

/** A money or time figure with its 95% interval; a bound of `null` is unbounded. */
export interface Estimate {
	readonly estimate: number;
	readonly ci95: readonly [number | null, number | null] | null;
}

export interface MetricValue {
	readonly key: string;
	readonly basis: 'staff_time' | 'value_per_unit';
	/** Money per case from this metric's change (positive = gain); `null` when not valued. */
	readonly benefitPerCase: Estimate | null;
	/** Staff hours saved per case (staff-time metrics only). */
	readonly hoursSavedPerCase: Estimate | null;
}

export interface EconomicsResult {
	readonly currency: string | null;
	readonly benefitToDate: number | null;
	readonly costToDate: number | null;
	readonly netToDate: number | null;
	readonly annualNetBenefit: number | null;
	readonly roi: number | null;
	readonly paybackMonths: number | null;
	/** 95% intervals of the figures above, carried from the metrics' intervals. */
	readonly intervals: {
		readonly benefitToDate: Estimate['ci95'];
		readonly netToDate: Estimate['ci95'];
		readonly annualNetBenefit: Estimate['ci95'];
		readonly roi: Estimate['ci95'];
		readonly paybackMonths: Estimate['ci95'];
	};
	readonly hoursSavedToDate: Estimate | null;
	readonly benefitPerCase: Estimate | null;
	readonly perMetric: readonly MetricValue[];
	/** Inputs that are needed and not given, in words ("hourly cost not set"). */
	readonly missing: readonly string[];
}

export interface EconomicsInput {
	readonly economics: Economics | undefined;
	readonly metrics: readonly { definition: MetricDefinition; comparison: Comparison }[];
	/** AI-cohort cases handled in the pilot window so far. */
	readonly pilotCases: number;
	/** Days of the pilot window elapsed; `null` when unknown. */
	readonly pilotDaysElapsed: number | null;
}

const DAYS_PER_MONTH = 365.25 / 12;

type Interval = readonly [number, number];

function scale(ci: Interval | null, k: number): Interval | null {
	if (ci === null) return null;
	const a = ci[0] * k;
	const b = ci[1] * k;
	return a <= b ? [a, b] : [b, a];
}

/**
 * Money per case from one metric's change, in its good direction. Staff-time metrics turn a
 * time change into hours (docs/api.md: valued at `hourlyCost`, or `valuePerUnit` when given, times
 * `timeRecapture`); other metrics are valued at `valuePerUnit` per unit of change.
 */
function valueMetric(
	definition: MetricDefinition,
	comparison: Comparison,
	economics: Economics | undefined,
	missing: string[]
): MetricValue | null {
	const name = definition.label ?? definition.key;
	const staff = definition.staffTime === true;
	if (!staff && definition.valuePerUnit === undefined) return null;
	const change = comparison.absoluteChange;
	if (change === null) {
		missing.push(`the change of ${name} cannot be computed yet`);
		return null;
	}
	const good = definition.direction === 'increase' ? 1 : -1;
	const gain = good * change.estimate;
	const gainCi = scale(change.ci95, good);
	if (!staff) {
		const k = definition.valuePerUnit ?? 0;
		return {
			key: definition.key,
			basis: 'value_per_unit',
			benefitPerCase: { estimate: gain * k, ci95: scale(gainCi, k) },
			hoursSavedPerCase: null
		};
	}
	const hoursPerUnit = definition.unit === 'min' ? 1 / 60 : 1;
	const hours: Estimate = { estimate: gain * hoursPerUnit, ci95: scale(gainCi, hoursPerUnit) };
	const recapture = economics?.timeRecapture;
	if (recapture === undefined) missing.push('time recapture share not set');
	let moneyPerUnit: number | null = null;
	if (definition.valuePerUnit !== undefined) moneyPerUnit = definition.valuePerUnit;
	else if (economics?.hourlyCost !== undefined) moneyPerUnit = economics.hourlyCost * hoursPerUnit;
	else missing.push('hourly cost not set');
	const k = recapture === undefined || moneyPerUnit === null ? null : moneyPerUnit * recapture;
	return {
		key: definition.key,
		basis: 'staff_time',
		benefitPerCase: k === null ? null : { estimate: gain * k, ci95: scale(gainCi, k) },
		hoursSavedPerCase: hours
	};
}

function sumEstimates(parts: readonly Estimate[]): Estimate {
	let estimate = 0;
	let lower = 0;
	let upper = 0;
	let bounded = true;
	for (const part of parts) {
		estimate += part.estimate;
		if (part.ci95 === null || part.ci95[0] === null || part.ci95[1] === null) bounded = false;
		else {
			lower += part.ci95[0];
			upper += part.ci95[1];
		}
	}
	return { estimate, ci95: bounded ? [lower, upper] : null };
}

/** Applies an increasing affine map to an estimate and its interval. */
function affine(e: Estimate, k: number, c: number): Estimate {
	const f = (x: number | null): number | null => (x === null ? null : x * k + c);
	return {
		estimate: e.estimate * k + c,
		ci95: e.ci95 === null ? null : [f(e.ci95[0]), f(e.ci95[1])]
	};
}

/**
 * Benefit, cost, net, annualised net, ROI and payback. The per-case benefit interval is the sum
 * of the metrics' interval bounds: conservative, and valid whatever the correlation between
 * metrics measured on the same cases. Costs are known amounts and carry no interval.
 *
 * Definitions: benefitToDate = benefit per case × pilot cases; costToDate = one-off + monthly ×
 * months elapsed + per case × pilot cases; annualNetBenefit = 12 × monthly volume × (benefit −
 * cost) per case − 12 × monthly cost (the run rate, one-off excluded); roi = first-year net
 * (annual net − one-off) / first-year cost (one-off + 12 months of running costs);
 * paybackMonths = one-off / monthly net, `null` when the monthly net is not positive.
 */
export function computeEconomics(input: EconomicsInput): EconomicsResult {
	const { economics, pilotCases } = input;
	const missing: string[] = [];
	const perMetric: MetricValue[] = [];
	for (const { definition, comparison } of input.metrics) {
		const value = valueMetric(definition, comparison, economics, missing);
		if (value !== null) perMetric.push(value);
	}
	const valued = input.metrics.some(
		(m) => m.definition.staffTime === true || m.definition.valuePerUnit !== undefined
	);
	if (!valued) {
		missing.push(
			'no metric has a money value: set valuePerUnit on a metric or mark a time metric as staff time'
		);
	}
	const complete = valued && perMetric.length > 0 && missing.length === 0;
	const perCase = complete
		? sumEstimates(perMetric.flatMap((m) => (m.benefitPerCase ? [m.benefitPerCase] : [])))
		: null;
	const hoursParts = perMetric.flatMap((m) => (m.hoursSavedPerCase ? [m.hoursSavedPerCase] : []));
	const hoursSavedToDate =
		hoursParts.length > 0 ? affine(sumEstimates(hoursParts), pilotCases, 0) : null;

	const costs = economics?.costs;
	const costNames = { oneOff: 'one-off cost', monthly: 'monthly cost', perCase: 'cost per case' };
	for (const [field, words] of Object.entries(costNames)) {
		if (costs?.[field as keyof typeof costNames] === undefined) missing.push(`${words} not set`);
	}
	if (input.pilotDaysElapsed === null) missing.push('days elapsed in the pilot unknown');
	if (economics?.monthlyVolume === undefined) missing.push('monthly volume not set');
	if (economics?.currency === undefined) missing.push('currency not set');

	const oneOff = costs?.oneOff;
	const monthly = costs?.monthly;
	const costPerCase = costs?.perCase;
	const costToDate =
		oneOff !== undefined &&
		monthly !== undefined &&
		costPerCase !== undefined &&
		input.pilotDaysElapsed !== null
			? oneOff + (monthly * input.pilotDaysElapsed) / DAYS_PER_MONTH + costPerCase * pilotCases
			: null;

	const benefitToDate = perCase === null ? null : affine(perCase, pilotCases, 0);
	const netToDate =
		benefitToDate === null || costToDate === null ? null : affine(benefitToDate, 1, -costToDate);

	const volume = economics?.monthlyVolume;
	let annual: Estimate | null = null;
	let roi: Estimate | null = null;
	let payback: Estimate | null = null;
	if (
		perCase !== null &&
		volume !== undefined &&
		monthly !== undefined &&
		costPerCase !== undefined &&
		oneOff !== undefined
	) {
		annual = affine(perCase, 12 * volume, -12 * (monthly + costPerCase * volume));
		const firstYearCost = oneOff + 12 * (monthly + costPerCase * volume);
		if (firstYearCost > 0) roi = affine(annual, 1 / firstYearCost, -oneOff / firstYearCost);
		payback = paybackOf(annual, oneOff);
	}
	const finite = (x: number | null | undefined): number | null =>
		x !== null && x !== undefined && Number.isFinite(x) ? x : null;
	// Extreme inputs can overflow a product (per case × cases): an overflowed bound becomes
	// `null` (unbounded), an overflowed estimate drops the figure, never Infinity or NaN.
	const finiteCi = (ci: Estimate['ci95'] | undefined): Estimate['ci95'] =>
		ci === null || ci === undefined ? null : [finite(ci[0]), finite(ci[1])];
	const finiteEstimate = (e: Estimate | null): Estimate | null =>
		e === null || !Number.isFinite(e.estimate) ? null : { ...e, ci95: finiteCi(e.ci95) };
	return {
		currency: economics?.currency ?? null,
		benefitToDate: finite(benefitToDate?.estimate),
		costToDate: finite(costToDate),
		netToDate: finite(netToDate?.estimate),
		annualNetBenefit: finite(annual?.estimate),
		roi: finite(roi?.estimate),
		paybackMonths: finite(payback?.estimate),
		intervals: {
			benefitToDate: finiteCi(benefitToDate?.ci95),
			netToDate: finiteCi(netToDate?.ci95),
			annualNetBenefit: finiteCi(annual?.ci95),
			roi: finiteCi(roi?.ci95),
			paybackMonths: finiteCi(payback?.ci95)
		},
		hoursSavedToDate: finiteEstimate(hoursSavedToDate),
		benefitPerCase: finiteEstimate(perCase),
		perMetric: perMetric.map((m) => ({
			...m,
			benefitPerCase: finiteEstimate(m.benefitPerCase),
			hoursSavedPerCase: finiteEstimate(m.hoursSavedPerCase)
		})),
		missing: [...new Set(missing)]
	};
}

/**
 * Months for the monthly net to repay the one-off cost. Decreasing in the benefit, so the
 * interval's lower end comes from the benefit's upper end; an upper end of `null` means that at
 * the pessimistic end of the interval the pilot never pays back.
 */
function paybackOf(annual: Estimate, oneOff: number): Estimate | null {
	const months = (yearly: number | null): number | null => {
		if (yearly === null || !(yearly > 0)) return null;
		return (oneOff * 12) / yearly;
	};
	const estimate = months(annual.estimate);
	if (estimate === null) return null;
	if (annual.ci95 === null) return { estimate, ci95: null };
	return { estimate, ci95: [months(annual.ci95[1]), months(annual.ci95[0])] };
}
