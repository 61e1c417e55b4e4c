import type { MetricReport } from '../metrics';
import { effectRow } from './effect-plot';

/**
 * Geometry of the small interval bar of a portfolio row: the primary metric's improvement
 * (positive = better, as in the effect plot) with its 95% interval, zero and the target.
 */
export interface IntervalBarGeometry {
	readonly width: number;
	readonly zero: number;
	/** Pixel span of the interval, clipped to the domain; `null` without an interval. */
	readonly ci: { readonly from: number; readonly to: number; readonly clipped: boolean } | null;
	readonly estimate: number | null;
	readonly target: number | null;
	readonly tone: 'good' | 'bad' | 'neutral' | 'warn';
	/** The same in words, for screen readers and the tooltip. */
	readonly text: string;
}

/** A domain in percent that every row of a portfolio can share, so bars compare by eye. */
export function sharedDomain(
	metrics: readonly (MetricReport | null)[],
	cap = 200
): readonly [number, number] {
	let extent = 10;
	for (const metric of metrics) {
		if (metric === null) continue;
		const row = effectRow(metric);
		for (const x of [row.improvement, row.target, ...(row.ci ?? [])]) {
			if (x !== null) extent = Math.max(extent, Math.abs(x));
		}
	}
	const rounded = Math.min(cap, Math.ceil((extent * 1.1) / 10) * 10);
	return [-rounded, rounded];
}

export function intervalBarGeometry(
	metric: MetricReport | null,
	domain: readonly [number, number],
	width = 160
): IntervalBarGeometry {
	const pad = 6;
	const [lo, hi] = domain;
	const clamp = (v: number): number => Math.min(hi, Math.max(lo, v));
	const x = (v: number): number =>
		Math.round((pad + ((clamp(v) - lo) / (hi - lo)) * (width - 2 * pad)) * 10) / 10;
	const zero = x(0);
	if (metric === null) {
		return {
			width,
			zero,
			ci: null,
			estimate: null,
			target: null,
			tone: 'warn',
			text: 'no primary metric'
		};
	}
	const row = effectRow(metric);
	const tone =
		row.verdict === 'improved'
			? 'good'
			: row.verdict === 'worsened'
				? 'bad'
				: row.verdict === 'insufficient_data'
					? 'warn'
					: 'neutral';
	const pct = (v: number): string => `${v > 0 ? '+' : ''}${v}%`;
	let text: string;
	if (row.improvement === null) text = `${metric.label}: insufficient data`;
	else {
		text =
			`${metric.label}: ${pct(row.improvement)} improvement` +
			(row.ci === null ? ', no interval yet' : `, 95% CI ${pct(row.ci[0])} to ${pct(row.ci[1])}`) +
			(row.target === null ? '' : `; target ${pct(row.target)}`);
	}
	return {
		width,
		zero,
		ci:
			row.ci === null
				? null
				: { from: x(row.ci[0]), to: x(row.ci[1]), clipped: row.ci[0] < lo || row.ci[1] > hi },
		estimate: row.improvement === null ? null : x(row.improvement),
		target: row.target === null ? null : x(row.target),
		tone,
		text
	};
}
