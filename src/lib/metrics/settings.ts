/**
 * Analysis settings with their defaults in one place, as in gbstats' `models/settings.py`.
 * Every function of the metrics core takes resolved settings; callers pass overrides only.
 */
export interface AnalysisSettings {
	/** Two-sided error rate: intervals are (1 − alpha) confidence intervals. */
	readonly alpha: number;
	/** Power used for the minimum detectable effect and the cases still needed. */
	readonly power: number;
	/** Cases per phase below which a metric is `insufficient_data` (docs/api.md `minSamples`). */
	readonly minSamples: number;
	/**
	 * A sample variance below this share of the mean square is treated as exactly zero:
	 * Σx² − (Σx)²/n loses about this much to rounding when every value is equal.
	 */
	readonly zeroVarianceTolerance: number;
	/**
	 * `meetsTarget` also needs the decision interval to rule out a gain smaller than this share
	 * of the target: read every day, a point estimate crosses the target by chance at some look
	 * (GrowthBook's "minimum percent change" plays the same part for its winners).
	 */
	readonly meaningfulShareOfTarget: number;
}

export const DEFAULT_SETTINGS: AnalysisSettings = Object.freeze({
	alpha: 0.05,
	power: 0.8,
	minSamples: 30,
	zeroVarianceTolerance: 1e-10,
	meaningfulShareOfTarget: 0.25
});

export function resolveSettings(overrides: Partial<AnalysisSettings> = {}): AnalysisSettings {
	const settings = { ...DEFAULT_SETTINGS };
	for (const [key, value] of Object.entries(overrides) as [keyof AnalysisSettings, unknown][]) {
		if (typeof value === 'number' && Number.isFinite(value)) settings[key] = value;
	}
	if (!(settings.alpha > 0 && settings.alpha < 1)) throw new RangeError('alpha must be in (0, 1)');
	if (!(settings.power > 0 && settings.power < 1)) throw new RangeError('power must be in (0, 1)');
	return Object.freeze(settings);
}
