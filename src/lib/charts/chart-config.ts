// Longer than most files, on purpose: the Chart.js configuration of each chart the app draws,
// beside the shared scales, colours and plugins they use.

import type { ChartConfiguration, ChartDataset, Plugin, ScriptableScaleContext } from 'chart.js';
import type { Phase } from '../domain/terms';
import type { BenefitData } from './benefit';
import type { EffectPlotData } from './effect-plot';
import type { TimeSeriesData } from './time-series';
import { displayMoney } from './format';

/**
 * Chart.js configurations from the chart data builders. Pure: only types come from Chart.js,
 * so these run (and are tested) without a canvas.
 */

// Canvas cannot read CSS custom properties, so these mirror the tokens of app.css.
export const PALETTE = {
	text: '#1c2430',
	muted: '#5b6673',
	grid: '#dfe3e8',
	gridStrong: '#8a94a1',
	accent: '#1f5fae',
	accentSoft: 'rgba(31, 95, 174, 0.14)',
	good: '#1d7a4d',
	goodSoft: 'rgba(29, 122, 77, 0.18)',
	warn: '#9a5b00',
	bad: '#b42318',
	neutral: '#5b6673',
	baselineShade: 'rgba(91, 102, 115, 0.07)',
	pilotShade: 'rgba(31, 95, 174, 0.07)'
} as const;

const FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 12 };

/**
 * A row label on two lines, the metric's name above its note ("(lower is better)", "no
 * interval yet"), so long names are not cut off where the chart is narrow.
 */
/** Every chart: drawn at once, no animation, filling its frame as the page resizes. */
const stillAndFitted = { animation: false, maintainAspectRatio: false, responsive: true } as const;

/** An axis title in the charts' text colour and font. */
const axisTitle = (text: string) => ({ display: true, text, color: PALETTE.text, font: FONT });

export function wrapRowLabel(label: string): string | string[] {
	const split = label.search(/ \(|: /);
	if (split <= 0) return label;
	const name = label[split] === ':' ? label.slice(0, split + 1) : label.slice(0, split);
	return [name, label.slice(split + 1).trim()];
}

/** The zero line carries the meaning "no change", so it is drawn stronger than the grid. */
function zeroLine(ctx: ScriptableScaleContext): string {
	return ctx.tick?.value === 0 ? PALETTE.gridStrong : PALETTE.grid;
}

export function effectPlotConfig(data: EffectPlotData): ChartConfiguration {
	const labels = data.rows.map((r) => r.label);
	const toneColour = (verdict: string): string =>
		verdict === 'improved'
			? PALETTE.good
			: verdict === 'worsened'
				? PALETTE.bad
				: verdict === 'insufficient_data'
					? PALETTE.warn
					: PALETTE.neutral;
	const marks = (pick: (i: number) => number | null) =>
		data.rows.flatMap((r, i) => {
			const x = pick(i);
			return x === null ? [] : [{ x, y: r.label }];
		});
	const [min, max] = data.bounds;
	const edges = data.rows.flatMap((r) => [
		...(r.cut === 'low' || r.cut === 'both' ? [{ x: min, y: r.label, rotation: 270 }] : []),
		...(r.cut === 'high' || r.cut === 'both' ? [{ x: max, y: r.label, rotation: 90 }] : [])
	]);
	const datasets = [
		{
			type: 'bar',
			label: '95% confidence interval',
			data: data.rows.map((r) => (r.drawn.ci === null ? null : [r.drawn.ci[0], r.drawn.ci[1]])),
			backgroundColor: data.rows.map((r) => toneColour(r.verdict) + '55'),
			borderColor: data.rows.map((r) => toneColour(r.verdict)),
			borderWidth: 1,
			barPercentage: 0.45,
			categoryPercentage: 0.9
		},
		{
			type: 'line',
			label: 'Estimate',
			indexAxis: 'y',
			data: marks((i) => data.rows[i].drawn.improvement),
			showLine: false,
			pointRadius: 5,
			pointBackgroundColor: PALETTE.text,
			borderColor: PALETTE.text
		},
		{
			type: 'line',
			label: 'Target',
			indexAxis: 'y',
			data: marks((i) => data.rows[i].drawn.target),
			showLine: false,
			pointStyle: 'line',
			rotation: 90,
			pointRadius: 11,
			borderWidth: 3,
			borderColor: PALETTE.accent
		},
		{
			type: 'line',
			label: 'Guardrail tolerance (worst accepted)',
			indexAxis: 'y',
			data: marks((i) => data.rows[i].drawn.tolerance),
			showLine: false,
			pointStyle: 'crossRot',
			pointRadius: 8,
			borderWidth: 2.5,
			borderColor: PALETTE.bad
		},
		{
			// An arrow at each edge a row runs past, pointing the way it goes on.
			type: 'line',
			label: 'Runs past the axis',
			indexAxis: 'y',
			data: edges.map((e) => ({ x: e.x, y: e.y })),
			showLine: false,
			pointStyle: 'triangle',
			pointRotation: edges.map((e) => e.rotation),
			pointRadius: 7,
			pointBackgroundColor: PALETTE.text,
			borderColor: PALETTE.text,
			// Whole arrows: half of each would otherwise fall outside the plot area.
			clip: false
		}
	] as ChartDataset[];
	return {
		type: 'bar',
		data: { labels, datasets },
		options: {
			indexAxis: 'y',
			...stillAndFitted,
			scales: {
				x: {
					type: 'linear',
					// Fixed: a row that runs past the bounds is cut there (and marked), not allowed
					// to stretch the axis until the other rows are dots.
					min,
					max,
					title: axisTitle(data.axisLabel),
					ticks: { callback: (v) => `${v}%`, color: PALETTE.muted, font: FONT },
					grid: { color: zeroLine, lineWidth: (ctx) => (ctx.tick?.value === 0 ? 2 : 1) }
				},
				y: {
					type: 'category',
					ticks: {
						color: PALETTE.text,
						font: FONT,
						callback(value) {
							return wrapRowLabel(this.getLabelForValue(Number(value)));
						}
					},
					grid: { display: false }
				}
			},
			plugins: {
				legend: { position: 'bottom', labels: { usePointStyle: true, font: FONT } },
				tooltip: {
					callbacks: {
						label: (item) => {
							const raw = item.raw as number | [number, number] | { x: number } | null;
							if (Array.isArray(raw)) {
								// The row's own interval, not the part of it the axis shows.
								const ci = data.rows[item.dataIndex]?.ci ?? raw;
								return `95% CI ${ci[0]}% to ${ci[1]}%`;
							}
							if (item.dataset.label === 'Runs past the axis') {
								const row = data.rows.find((r) => r.label === (raw as { y?: string }).y);
								return row?.ci
									? `Runs past the axis: 95% CI ${row.ci[0]}% to ${row.ci[1]}%`
									: 'Runs past the axis';
							}
							if (raw !== null && typeof raw === 'object') {
								return `${item.dataset.label}: ${raw.x > 0 ? '+' : ''}${raw.x}%`;
							}
							return String(item.dataset.label);
						}
					}
				}
			}
		}
	};
}

/** Holds the windows a series chart shades, so an update can swap them without a new plugin. */
export interface WindowShading {
	windows: TimeSeriesData['windows'];
}

/** Shades the baseline and pilot windows behind the data and names them at the top. */
export function windowShadingPlugin(shading: WindowShading): Plugin {
	return {
		id: 'phaseWindows',
		beforeDatasetsDraw(chart) {
			const x = chart.scales.x;
			const { top, bottom } = chart.chartArea;
			if (x === undefined) return;
			const ctx = chart.ctx;
			const step = x.ticks.length > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) / 2 : 10;
			ctx.save();
			for (const w of shading.windows) {
				const left = x.getPixelForValue(w.from) - step;
				const right = x.getPixelForValue(w.to) + step;
				ctx.fillStyle = w.phase === 'baseline' ? PALETTE.baselineShade : PALETTE.pilotShade;
				ctx.fillRect(left, top, right - left, bottom - top);
				ctx.fillStyle = PALETTE.muted;
				ctx.font = `600 12px ${FONT.family}`;
				ctx.fillText(
					w.phase === 'baseline' ? 'Baseline window' : 'Pilot window',
					left + 6,
					top + 14
				);
			}
			ctx.restore();
		}
	};
}

export function timeSeriesConfig(data: TimeSeriesData, shading: WindowShading): ChartConfiguration {
	const constant = (v: number | null) => data.labels.map(() => v);
	const period = data.granularity === 'day' ? 'day' : 'week';
	const only = (phase: Phase) => data.values.map((v, i) => (data.phases[i] === phase ? v : null));
	const band = data.baselineBand;
	const datasets = [
		...(band === null
			? []
			: [
					{
						type: 'line',
						label: 'Baseline 95% CI',
						data: constant(band[1]),
						borderWidth: 0,
						pointRadius: 0,
						fill: '+1',
						backgroundColor: PALETTE.accentSoft
					},
					{
						type: 'line',
						label: 'Baseline 95% CI (lower)',
						data: constant(band[0]),
						borderWidth: 0,
						pointRadius: 0,
						fill: false
					}
				]),
		...(data.baselineLevel === null
			? []
			: [
					{
						type: 'line',
						label: 'Baseline level',
						data: constant(data.baselineLevel),
						borderColor: PALETTE.accent,
						borderDash: [6, 4],
						borderWidth: 2,
						pointRadius: 0
					}
				]),
		{
			type: 'bar',
			label: `95% CI per ${period}`,
			data: data.lower.map((lo, i) => {
				const hi = data.upper[i];
				return lo === null || hi === null ? null : [lo, hi];
			}),
			backgroundColor: 'rgba(28, 36, 48, 0.22)',
			barPercentage: 0.3,
			categoryPercentage: 1,
			maxBarThickness: 8
		},
		{
			type: 'line',
			label: `Baseline, per ${period}`,
			data: only('baseline'),
			borderColor: PALETTE.neutral,
			backgroundColor: PALETTE.neutral,
			pointRadius: 3,
			borderWidth: 1.5,
			spanGaps: true
		},
		{
			type: 'line',
			label: `Pilot, per ${period}`,
			data: only('pilot'),
			borderColor: PALETTE.text,
			backgroundColor: PALETTE.text,
			pointRadius: 3.5,
			pointStyle: 'rectRot',
			borderWidth: 1.5,
			spanGaps: true
		}
	] as ChartDataset[];
	return {
		type: 'line',
		data: { labels: [...data.labels], datasets },
		options: {
			...stillAndFitted,
			scales: {
				x: {
					type: 'category',
					title: axisTitle(data.xLabel),
					ticks: { color: PALETTE.muted, font: FONT, autoSkip: true, maxRotation: 0 },
					grid: { display: false }
				},
				y: {
					type: 'linear',
					title: axisTitle(data.yLabel),
					ticks: { color: PALETTE.muted, font: FONT },
					grid: { color: PALETTE.grid }
				}
			},
			plugins: {
				legend: {
					position: 'bottom',
					labels: {
						font: FONT,
						filter: (item) => !String(item.text).endsWith('(lower)')
					}
				},
				tooltip: {
					callbacks: {
						afterBody: (items) => {
							const i = items[0]?.dataIndex;
							return i === undefined ? '' : `${data.n[i]} cases`;
						}
					}
				}
			}
		},
		plugins: [windowShadingPlugin(shading)]
	};
}

export function benefitConfig(data: BenefitData): ChartConfiguration {
	const xy = (ys: readonly (number | null)[]) => data.months.map((x, i) => ({ x, y: ys[i] }));
	const money = (v: number): string => displayMoney(v, data.currency);
	const datasets: ChartDataset[] = [
		{
			label: 'Benefit 95% CI',
			data: xy(data.benefitBand.map((b) => (b === null ? null : b[1]))),
			borderWidth: 0,
			pointRadius: 0,
			fill: '+1',
			backgroundColor: PALETTE.goodSoft
		},
		{
			label: 'Benefit 95% CI (lower)',
			data: xy(data.benefitBand.map((b) => (b === null ? null : b[0]))),
			borderWidth: 0,
			pointRadius: 0,
			fill: false
		},
		{
			label: 'Cumulative benefit',
			data: xy(data.benefit),
			borderColor: PALETTE.good,
			backgroundColor: PALETTE.good,
			borderWidth: 2,
			pointRadius: 0
		},
		{
			label: 'Cumulative cost',
			data: xy(data.cost),
			borderColor: PALETTE.bad,
			backgroundColor: PALETTE.bad,
			borderDash: [6, 4],
			borderWidth: 2,
			pointRadius: 0
		},
		{
			label: 'Cumulative net benefit',
			data: xy(data.net),
			borderColor: PALETTE.accent,
			backgroundColor: PALETTE.accent,
			borderWidth: 3,
			pointRadius: 0
		}
	];
	if (data.payback !== null) {
		datasets.push({
			label: `Payback after ${data.payback.months.toFixed(1)} months`,
			data: [{ x: data.payback.months, y: 0 }],
			showLine: false,
			pointStyle: 'triangle',
			pointRadius: 8,
			backgroundColor: PALETTE.text,
			borderColor: PALETTE.text
		});
	}
	return {
		type: 'line',
		data: { datasets },
		options: {
			...stillAndFitted,
			scales: {
				x: {
					type: 'linear',
					min: 0,
					max: data.months.at(-1) ?? 12,
					title: axisTitle(data.xLabel),
					ticks: {
						stepSize: 1,
						color: PALETTE.muted,
						font: FONT,
						callback: (v) => (Number.isInteger(v) ? (data.labels[Number(v)] ?? '') : '')
					},
					grid: { color: PALETTE.grid }
				},
				y: {
					type: 'linear',
					title: axisTitle(data.yLabel),
					ticks: { color: PALETTE.muted, font: FONT, callback: (v) => money(Number(v)) },
					grid: { color: zeroLine, lineWidth: (ctx) => (ctx.tick?.value === 0 ? 2 : 1) }
				}
			},
			plugins: {
				legend: {
					position: 'bottom',
					labels: { font: FONT, filter: (item) => !String(item.text).endsWith('(lower)') }
				},
				tooltip: {
					callbacks: {
						label: (item) => {
							const raw = item.raw as { y: number | null };
							return `${item.dataset.label}: ${raw.y === null ? 'not available' : money(raw.y)}`;
						}
					}
				}
			}
		}
	};
}
