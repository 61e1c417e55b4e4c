import { addMonths, format as formatDate } from 'date-fns';
import type { EconomicsResult } from '../metrics';
import type { Economics } from '../schemas/plan';
import type { DataTable } from './table';
import { displayInterval, displayMoney, NOT_AVAILABLE } from './format';

export interface BenefitInput {
	/** The report's economics: benefit per case with its interval, payback, currency. */
	readonly economics: EconomicsResult;
	/** The plan's economics: the cost breakdown and monthly volume the report was valued with. */
	readonly plan: Economics | undefined;
	/** Local day scaling would start (YYYY-MM-DD), to name months; `null` counts "Month 1…". */
	readonly startDay?: string | null;
	/** Months drawn; by default a year, or longer so the payback and its interval fit. */
	readonly horizonMonths?: number;
}

export interface BenefitData {
	/** `false` when an input is missing; `missing` then says which, in words. */
	readonly available: boolean;
	readonly missing: readonly string[];
	readonly currency: string | null;
	readonly months: readonly number[];
	readonly labels: readonly string[];
	readonly cost: readonly number[];
	readonly benefit: readonly number[];
	readonly benefitBand: readonly (readonly [number, number] | null)[];
	readonly net: readonly number[];
	readonly netBand: readonly (readonly [number, number] | null)[];
	/** Where cumulative net crosses 0 at the point estimate; `null` if it never does. */
	readonly payback: {
		readonly months: number;
		/** A `null` upper end: at the pessimistic end of the interval it never pays back. */
		readonly ci95: readonly [number | null, number | null] | null;
	} | null;
	readonly xLabel: string;
	readonly yLabel: string;
	readonly table: DataTable;
}

const MAX_HORIZON = 36;

function empty(missing: readonly string[], currency: string | null): BenefitData {
	return {
		available: false,
		missing: missing.length > 0 ? missing : ['the benefit per case cannot be computed yet'],
		currency,
		months: [],
		labels: [],
		cost: [],
		benefit: [],
		benefitBand: [],
		net: [],
		netBand: [],
		payback: null,
		xLabel: '',
		yLabel: '',
		table: { caption: 'Cumulative net benefit: not available', headers: [], rows: [] }
	};
}

/**
 * Cumulative money at scale, month by month, from the day the pilot would be scaled: benefit
 * = months × monthly volume × benefit per case (with its interval), cost = one-off + months ×
 * (monthly cost + cost per case × volume). Net crosses 0 at one-off / monthly net, which is the
 * report's `paybackMonths`, so the marked point and the number on the page always agree.
 */
export function benefitData(input: BenefitInput): BenefitData {
	const { economics } = input;
	const currency = economics.currency;
	const perCase = economics.benefitPerCase;
	const volume = input.plan?.monthlyVolume;
	const costs = input.plan?.costs;
	if (
		perCase === null ||
		volume === undefined ||
		costs?.oneOff === undefined ||
		costs.monthly === undefined ||
		costs.perCase === undefined
	) {
		return empty(economics.missing, currency);
	}
	const oneOff = costs.oneOff;
	const monthlyCost = costs.monthly + costs.perCase * volume;
	const payback =
		economics.paybackMonths === null
			? null
			: { months: economics.paybackMonths, ci95: economics.intervals.paybackMonths };
	const furthest = Math.max(payback?.months ?? 0, payback?.ci95?.[1] ?? 0);
	const horizon =
		input.horizonMonths ?? Math.min(MAX_HORIZON, Math.max(12, Math.ceil(furthest) + 1));

	const months = Array.from({ length: horizon + 1 }, (_, m) => m);
	const round = (x: number): number => Math.round(x * 100) / 100;
	const cost = months.map((m) => round(oneOff + m * monthlyCost));
	const benefit = months.map((m) => round(m * volume * perCase.estimate));
	const band = (m: number): readonly [number, number] | null => {
		const ci = perCase.ci95;
		if (ci === null || ci[0] === null || ci[1] === null) return null;
		return [round(m * volume * ci[0]), round(m * volume * ci[1])];
	};
	const benefitBand = months.map(band);
	const net = months.map((m, i) => round(benefit[i] - cost[i]));
	const netBand = benefitBand.map((b, i) =>
		b === null ? null : ([round(b[0] - cost[i]), round(b[1] - cost[i])] as const)
	);

	const start = input.startDay ?? null;
	const monthName = (m: number): string => {
		if (start === null) return `Month ${m}`;
		const [y, mo, d] = start.split('-').map(Number);
		return formatDate(addMonths(new Date(y, mo - 1, d), m), 'MMM yyyy');
	};
	const money = (x: number | null): string => displayMoney(x, currency);
	const paybackText =
		payback === null
			? 'no payback at the point estimate'
			: `payback after ${payback.months.toFixed(1)} months` +
				(payback.ci95 === null
					? ''
					: ` (95% CI ${payback.ci95[0] === null ? NOT_AVAILABLE : payback.ci95[0].toFixed(1)} to ${payback.ci95[1] === null ? 'never' : `${payback.ci95[1].toFixed(1)} months`})`);
	const table: DataTable = {
		caption: `Cumulative benefit, cost and net at ${volume.toLocaleString('en-US')} cases a month after scaling; ${paybackText}`,
		headers: ['Month', 'Cumulative cost', 'Cumulative benefit', 'Benefit 95% CI', 'Cumulative net'],
		rows: months.map((m, i) => [
			m === 0 ? `${monthName(0)} (start)` : monthName(m),
			money(cost[i]),
			money(benefit[i]),
			displayInterval(benefitBand[i], money),
			displayMoney(net[i], currency, true)
		])
	};
	return {
		available: true,
		missing: [],
		currency,
		months,
		labels: months.map(monthName),
		cost,
		benefit,
		benefitBand,
		net,
		netBand,
		payback,
		xLabel: start === null ? 'Months after scaling' : `Months after scaling from ${start}`,
		yLabel: currency === null ? 'Cumulative amount' : `Cumulative amount (${currency})`,
		table
	};
}
