import type { MetricReport, Scaled } from '../metrics';
import type { DataTable } from './table';
import { VERDICT_TEXT } from '../domain/wording';
import {
	displayAbsoluteChange,
	directionText,
	displayInterval,
	displayPercent,
	NOT_AVAILABLE
} from './format';

/**
 * The effect plot puts every metric on one axis: relative change against the baseline, in
 * percent, signed so that improvement is always positive (drawn to the right). A metric where
 * lower is better has its sign flipped, and its row label says so, so a 30% cut in handling
 * time and a 30% rise in resolution read the same way.
 */
export interface EffectRow {
	readonly key: string;
	/** The metric's name, with "(lower is better)" where the sign was flipped. */
	readonly name: string;
	/** Row label, with "(lower is better)" where the sign was flipped and a note when empty. */
	readonly label: string;
	readonly role: MetricReport['role'];
	readonly verdict: MetricReport['verdict'];
	/** Improvement in percent of the baseline (positive = better); `null` when unknown. */
	readonly improvement: number | null;
	readonly ci: readonly [number, number] | null;
	/** The target as an improvement in percent; `null` without one or when not comparable. */
	readonly target: number | null;
	/** The guardrail's largest accepted worsening, as a negative improvement in percent. */
	readonly tolerance: number | null;
	readonly flipped: boolean;
	/** Why the row has no bar: words for the reader, `null` when it has one. */
	readonly note: string | null;
}

/** A row as the plot draws it: the same numbers, cut to the axis where they run past it. */
export interface PlottedRow extends EffectRow {
	readonly drawn: {
		/** `null` when unknown or beyond the axis (a point at the edge would mislead). */
		readonly improvement: number | null;
		/** The interval cut to the axis. */
		readonly ci: readonly [number, number] | null;
		readonly target: number | null;
		readonly tolerance: number | null;
	};
	/** Which ends of the row's interval (or point) run past the axis; `null` when none. */
	readonly cut: 'low' | 'high' | 'both' | null;
}

export interface EffectPlotData {
	readonly rows: readonly PlottedRow[];
	readonly axisLabel: string;
	/** Keep 0 and every row in view, up to AXIS_REACH times the primary metric's extent. */
	readonly bounds: readonly [number, number];
	readonly table: DataTable;
}

/**
 * How far the shared axis may reach from zero: AXIS_REACH times the primary metric's extent
 * (its interval, point and target), and at least AXIS_MIN_REACH percent. A relative change on a small
 * baseline (a guardrail at 2% of cases rising to 11%: +380%, CI −80% to +840%) would otherwise
 * stretch the axis until every other interval is a dot; past this reach a row is cut at the
 * edge, marked with an arrow, and its label and tooltip give its real numbers.
 */
export const AXIS_REACH = 5;
const AXIS_MIN_REACH = 50;

function finiteOrNull(x: number): number | null {
	return Number.isFinite(x) ? x : null;
}

/**
 * A target or tolerance on the relative scale. Absolute sizes are divided by the baseline
 * value; with no usable baseline there is nothing to draw rather than a made-up line.
 */
function relativeSize(size: Scaled, baseline: number | null): number | null {
	if ('relative' in size) return size.relative;
	if (baseline === null || baseline === 0) return null;
	return finiteOrNull(size.absolute / Math.abs(baseline));
}

function percent(share: number): number {
	return Math.round(share * 1000) / 10;
}

export function effectRow(metric: MetricReport): EffectRow {
	const good = metric.direction === 'decrease' ? -1 : 1;
	const flipped = good === -1;
	const change = metric.relativeChange;
	const estimate =
		change === null || !Number.isFinite(change.estimate) ? null : percent(good * change.estimate);
	let ci: [number, number] | null = null;
	if (change?.ci95 && estimate !== null) {
		const a = percent(good * change.ci95[0]);
		const b = percent(good * change.ci95[1]);
		ci = a <= b ? [a, b] : [b, a];
	}
	// Targets are written signed in the good direction, so `good ×` makes them positive.
	const targetShare =
		metric.target === null ? null : relativeSize(metric.target, metric.baseline.value);
	const toleranceShare =
		metric.tolerance === null ? null : relativeSize(metric.tolerance, metric.baseline.value);
	let note: string | null = null;
	if (estimate === null) {
		note =
			metric.verdict === 'insufficient_data' || metric.baseline.value === null
				? 'insufficient data'
				: 'relative change not computable';
		if (metric.baseline.value === 0) note = 'baseline is 0, no relative change';
	} else if (ci === null) note = 'no interval yet';
	const name = metric.label + (flipped ? ' (lower is better)' : '');
	return {
		key: metric.key,
		name,
		label: note === null ? name : `${name}: ${note}`,
		role: metric.role,
		verdict: metric.verdict,
		improvement: estimate,
		ci,
		target: targetShare === null ? null : percent(good * targetShare),
		tolerance: toleranceShare === null ? null : -percent(Math.abs(toleranceShare)),
		flipped,
		note
	};
}

/** A target or tolerance as the plan wrote it, in the metric's own terms. */
function sizeText(metric: MetricReport, size: Scaled, signed: boolean): string {
	if ('relative' in size) return displayPercent(size.relative, signed) + ' of baseline';
	const text = displayAbsoluteChange(metric, size.absolute);
	return signed ? text : text.replace(/^[+-]/, '');
}

/** Every number a row draws. */
function rowValues(r: EffectRow): number[] {
	return [r.ci, [r.improvement], [r.target], [r.tolerance]]
		.flatMap((xs) => xs ?? [])
		.filter((x): x is number => x !== null);
}

/** The reach the axis may have: from the primary metric, else the rows' lower median. */
function axisReach(rows: readonly EffectRow[]): number {
	const extent = (r: EffectRow): number => Math.max(0, ...rowValues(r).map(Math.abs));
	const primary = rows.find((r) => r.role === 'primary' && r.improvement !== null);
	const extents = rows
		.map(extent)
		.filter((x) => x > 0)
		.sort((a, b) => a - b);
	const reference = primary
		? extent(primary)
		: (extents[Math.floor((extents.length - 1) / 2)] ?? 0);
	return Math.max(AXIS_MIN_REACH, AXIS_REACH * reference);
}

function signed(x: number): string {
	return `${x > 0 ? '+' : ''}${x}%`;
}

function plotted(row: EffectRow, [lo, hi]: readonly [number, number]): PlottedRow {
	const inside = (x: number | null): number | null => (x !== null && x >= lo && x <= hi ? x : null);
	const clamp = (x: number): number => Math.min(hi, Math.max(lo, x));
	const values = rowValues(row);
	const low = values.some((x) => x < lo);
	const high = values.some((x) => x > hi);
	const cut = low && high ? 'both' : low ? 'low' : high ? 'high' : null;
	const drawn = {
		improvement: inside(row.improvement),
		ci: row.ci === null ? null : ([clamp(row.ci[0]), clamp(row.ci[1])] as const),
		target: inside(row.target),
		tolerance: inside(row.tolerance)
	};
	if (cut === null) return { ...row, drawn, cut };
	const where = drawn.improvement === null ? `${signed(row.improvement!)}, beyond` : 'runs past';
	const label =
		row.note === null ? `${row.name}: ${where} the axis` : `${row.label}, ${where} the axis`;
	return { ...row, label, drawn, cut };
}

export function effectPlotData(metrics: readonly MetricReport[]): EffectPlotData {
	const unplotted = metrics.map(effectRow);
	const reach = axisReach(unplotted);
	const values = unplotted.flatMap(rowValues).map((x) => Math.min(reach, Math.max(-reach, x)));
	const lo = Math.min(0, ...values);
	const hi = Math.max(0, ...values);
	// Round outwards to tens, with room so a bar never touches the frame.
	const pad = Math.max(5, (hi - lo) * 0.05);
	const bounds: [number, number] = [
		Math.floor((lo - pad) / 10) * 10,
		Math.ceil((hi + pad) / 10) * 10
	];
	const rows = unplotted.map((row) => plotted(row, bounds));
	const anyFlipped = rows.some((r) => r.flipped);
	const axisLabel =
		'Improvement against baseline (%), 95% CI' +
		(anyFlipped ? ' — sign flipped where lower is better, so right is always better' : '');
	const table: DataTable = {
		caption: 'Change of every metric against its baseline, as a share of the baseline value',
		headers: [
			'Metric',
			'Better when',
			'Relative change',
			'95% CI',
			'Target',
			'Tolerance',
			'Verdict'
		],
		rows: metrics.map((metric) => {
			const change = metric.relativeChange;
			const target = metric.target === null ? '—' : sizeText(metric, metric.target, true);
			const tolerance =
				metric.tolerance === null
					? '—'
					: `worse by at most ${sizeText(metric, metric.tolerance, false)}`;
			return [
				metric.label,
				directionText(metric.direction),
				change === null ? NOT_AVAILABLE : displayPercent(change.estimate, true),
				displayInterval(change?.ci95 ?? null, (x) => displayPercent(x, true)),
				target,
				tolerance,
				VERDICT_TEXT[metric.verdict]
			];
		})
	};
	return { rows, axisLabel, bounds, table };
}
