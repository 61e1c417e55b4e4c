import type { Decision, MetricReport } from '../metrics';
import { stages, type DecisionKind, type Stage } from './lifecycle';

// The portfolio as leadership reads it: rows, filters, sorting and totals. Pure, so the page
// and its tests agree on what "sorted by net benefit" or "total of scaled pilots" means.

export type GuardrailSummary = 'breached' | 'unclear' | 'holds' | 'none';

export interface MoneyFigure {
	readonly value: number | null;
	readonly ci95: readonly [number | null, number | null] | null;
}

export interface PortfolioRow {
	readonly slug: string;
	readonly name: string;
	readonly process: string;
	readonly stage: Stage;
	/** The business owner named in the charter, else the pilot's owners; `null` when nobody. */
	readonly owner: string | null;
	readonly readinessGaps: number;
	readonly quality: 'passing' | 'failing' | 'untested' | 'no_gates';
	/** Whole days of the pilot window run and left; `null` without a pilot window. */
	readonly days: { readonly run: number; readonly left: number; readonly total: number } | null;
	readonly primary: MetricReport | null;
	readonly guardrails: {
		readonly status: GuardrailSummary;
		readonly breached: readonly string[];
		readonly unclear: readonly string[];
		readonly count: number;
	};
	readonly currency: string | null;
	readonly netToDate: MoneyFigure | null;
	readonly annualNet: MoneyFigure | null;
	readonly recommendation: { readonly decision: Decision; readonly reason: string | null } | null;
	readonly lastDecision: {
		readonly id: number;
		readonly decision: DecisionKind;
		readonly recommended: string | null;
		readonly override: boolean;
		readonly decidedAt: string;
		readonly decidedBy: string | null;
	} | null;
}

const DAY_MS = 86_400_000;

/** Days of a pilot window run and left at `now`; the window's end is exclusive. */
export function windowProgress(
	window: { start: string; end: string } | null,
	now: Date
): PortfolioRow['days'] {
	if (window === null) return null;
	const start = Date.parse(window.start);
	const end = Date.parse(window.end);
	const total = Math.round((end - start) / DAY_MS);
	const run = Math.floor(Math.max(0, Math.min(now.getTime(), end) - start) / DAY_MS);
	return { run, left: Math.max(0, total - run), total };
}

/** The worst guardrail status first: one breach is what a reader must see. */
export function summariseGuardrails(metrics: readonly MetricReport[]): PortfolioRow['guardrails'] {
	const guardrails = metrics.filter((m) => m.role === 'guardrail');
	const breached = guardrails.filter((m) => m.guardrail === 'breached').map((m) => m.label);
	const unclear = guardrails.filter((m) => m.guardrail !== 'breached' && m.guardrail !== 'holds');
	const status: GuardrailSummary =
		guardrails.length === 0
			? 'none'
			: breached.length > 0
				? 'breached'
				: unclear.length > 0
					? 'unclear'
					: 'holds';
	return { status, breached, unclear: unclear.map((m) => m.label), count: guardrails.length };
}

export const sortKeys = [
	'updated',
	'name',
	'stage',
	'change',
	'annual',
	'left',
	'decision'
] as const;
export type SortKey = (typeof sortKeys)[number];

export const sortLabels: Record<SortKey, string> = {
	updated: 'Recently changed',
	name: 'Name',
	stage: 'Stage',
	change: 'Primary metric improvement',
	annual: 'Annualised net benefit',
	left: 'Days left',
	decision: 'Last decision'
};

/** Improvement of the primary metric in its good direction (+ is better), or `null`. */
export function improvementOf(metric: MetricReport | null): number | null {
	const change = metric?.relativeChange?.estimate;
	if (change === undefined || change === null || !Number.isFinite(change)) return null;
	return metric!.direction === 'decrease' ? -change : change;
}

const stageOrder = new Map<string, number>(stages.map((s, i) => [s, i]));

/**
 * Rows in the chosen order. Figures sort best first (largest improvement, largest net benefit,
 * fewest days left); rows without the figure go last, whatever the direction.
 */
export function sortRows(
	rows: readonly PortfolioRow[],
	key: SortKey,
	descending = true
): PortfolioRow[] {
	const figure = (row: PortfolioRow): number | string | null => {
		switch (key) {
			case 'updated':
				return null;
			case 'name':
				return row.name.toLowerCase();
			case 'stage':
				return stageOrder.get(row.stage) ?? 0;
			case 'change':
				return improvementOf(row.primary);
			case 'annual':
				return row.annualNet?.value ?? null;
			case 'left':
				return row.days === null ? null : -row.days.left;
			case 'decision':
				return row.lastDecision?.decidedAt ?? null;
		}
	};
	if (key === 'updated') return [...rows];
	const sign = descending ? -1 : 1;
	// Names and stages read naturally A→Z and draft→decided; "descending" flips them.
	const natural = key === 'name' || key === 'stage' ? -sign : sign;
	return rows
		.map((row, index) => ({ row, index, value: figure(row) }))
		.sort((a, b) => {
			if (a.value === null || b.value === null) {
				if (a.value === b.value) return a.index - b.index;
				return a.value === null ? 1 : -1;
			}
			const order = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
			return order === 0 ? a.index - b.index : order * natural;
		})
		.map(({ row }) => row);
}

export interface PortfolioFilter {
	readonly stage: Stage | null;
	readonly owner: string | null;
}

export function filterRows(rows: readonly PortfolioRow[], filter: PortfolioFilter): PortfolioRow[] {
	return rows.filter(
		(row) =>
			(filter.stage === null || row.stage === filter.stage) &&
			(filter.owner === null || row.owner === filter.owner)
	);
}

/** Every owner named in the rows, once, A→Z. */
export function ownersOf(rows: readonly PortfolioRow[]): string[] {
	return [...new Set(rows.flatMap((r) => (r.owner === null ? [] : [r.owner])))].sort((a, b) =>
		a.localeCompare(b)
	);
}

export interface PortfolioTotals {
	readonly decided: Record<DecisionKind, number>;
	/**
	 * Annualised net benefit of the pilots whose last decision is "scale", per currency. The
	 * interval adds the pilots' half-widths in quadrature: independent estimates, normal
	 * approximation. `null` when a scaled pilot has no interval (the sum would claim too much).
	 */
	readonly scaledAnnual: readonly {
		readonly currency: string | null;
		readonly pilots: number;
		readonly value: number | null;
		readonly ci95: readonly [number, number] | null;
		/** Scaled pilots whose benefit is not in money yet (missing inputs). */
		readonly unvalued: number;
	}[];
}

export function portfolioTotals(rows: readonly PortfolioRow[]): PortfolioTotals {
	const decided: Record<DecisionKind, number> = { scale: 0, correct: 0, discard: 0 };
	for (const row of rows) if (row.lastDecision) decided[row.lastDecision.decision] += 1;

	const byCurrency = new Map<string | null, PortfolioRow[]>();
	for (const row of rows.filter((r) => r.lastDecision?.decision === 'scale')) {
		const group = byCurrency.get(row.currency) ?? [];
		group.push(row);
		byCurrency.set(row.currency, group);
	}
	const scaledAnnual = [...byCurrency.entries()].map(([currency, group]) => {
		const valued = group.filter((r) => r.annualNet?.value !== null && r.annualNet !== null);
		const value = valued.length === 0 ? null : valued.reduce((s, r) => s + r.annualNet!.value!, 0);
		let ci95: readonly [number, number] | null = null;
		const halves = valued.map((r) => {
			const ci = r.annualNet!.ci95;
			if (ci === null || ci[0] === null || ci[1] === null) return null;
			return { below: r.annualNet!.value! - ci[0], above: ci[1] - r.annualNet!.value! };
		});
		if (value !== null && halves.every((h) => h !== null)) {
			const below = Math.sqrt(halves.reduce((s, h) => s + h!.below ** 2, 0));
			const above = Math.sqrt(halves.reduce((s, h) => s + h!.above ** 2, 0));
			ci95 = [value - below, value + above];
		}
		return { currency, pilots: group.length, value, ci95, unvalued: group.length - valued.length };
	});
	return { decided, scaledAnnual };
}
