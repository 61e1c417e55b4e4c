import { z } from 'zod';
import { directions, metricKinds, metricRoles } from '../domain/terms';

/**
 * The measurement part of a pilot definition (shared docs/api.md "Pilots"). Only slug, name, the two
 * windows and metrics are required; economics and gates can come later and the impact report
 * names what is missing. Unknown fields (charter, governance, …) are kept, not rejected.
 */

const isoDateTime = z.iso.datetime({
	offset: true,
	error: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-10-01T00:00:00+02:00'
});

/**
 * Names every plain object inherits (`valueOf`, `toString`, `constructor`…). A measure, metric
 * or gate named so would read an inherited method wherever a lookup misses (an event without
 * the measure, a metric without a baseline summary), so such names are refused here, and
 * ingestion reads measures by own keys only as well.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(
	Object.getOwnPropertyNames(Object.prototype)
);

const identifier = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use letters, digits and _ , starting with a letter')
	.refine((name) => !RESERVED_NAMES.has(name), {
		error: (issue) => `"${String(issue.input)}" is a name every object has; choose another name`
	});

export const windowSchema = z
	.object({ start: isoDateTime, end: isoDateTime })
	.refine((w) => Date.parse(w.end) > Date.parse(w.start), {
		message: 'the window must end after it starts',
		path: ['end']
	});

const scaledSchema = (what: string) =>
	z.union([z.strictObject({ relative: z.number() }), z.strictObject({ absolute: z.number() })], {
		error: `${what} is either { "relative": share } or { "absolute": units }`
	});

export const metricSchema = z
	.object({
		key: identifier,
		label: z.string().min(1).max(200).optional(),
		unit: z.string().max(20).optional(),
		kind: z.enum(metricKinds),
		measure: identifier.optional(),
		numerator: identifier.optional(),
		denominator: identifier.optional(),
		quantile: z.number().optional(),
		direction: z.enum(directions),
		role: z.enum(metricRoles).default('secondary'),
		target: scaledSchema('target').optional(),
		tolerance: scaledSchema('tolerance').optional(),
		valuePerUnit: z.number().nonnegative().optional(),
		staffTime: z.boolean().optional(),
		/** An adoption or friction measure (suggestions accepted unchanged, cases escalated): shown in a group of its own. */
		adoption: z.boolean().optional()
	})
	.superRefine((m, ctx) => {
		const issue = (path: string, message: string): void => {
			ctx.addIssue({ code: 'custom', path: [path], message });
		};
		if (m.kind === 'ratio') {
			if (m.numerator === undefined) issue('numerator', 'a ratio metric needs a numerator measure');
			if (m.denominator === undefined) {
				issue('denominator', 'a ratio metric needs a denominator measure');
			}
		} else if (m.measure === undefined) {
			issue('measure', `a ${m.kind} metric needs the measure it summarises`);
		}
		if (m.kind === 'quantile' && !(m.quantile !== undefined && m.quantile > 0 && m.quantile < 1)) {
			issue('quantile', 'a quantile metric needs a quantile strictly between 0 and 1, e.g. 0.9');
		}
		if (m.role === 'guardrail' && m.tolerance === undefined) {
			issue('tolerance', 'a guardrail needs a tolerance: the largest worsening you accept');
		}
		if (m.tolerance !== undefined) {
			const size = 'relative' in m.tolerance ? m.tolerance.relative : m.tolerance.absolute;
			if (!(size >= 0)) issue('tolerance', 'a tolerance is a positive size (or 0)');
		}
		if (m.target !== undefined) {
			const size = 'relative' in m.target ? m.target.relative : m.target.absolute;
			const good = m.direction === 'increase' ? size > 0 : size < 0;
			if (!good) {
				issue(
					'target',
					m.direction === 'increase'
						? 'the target is signed in the good direction: positive for a metric that should increase'
						: 'the target is signed in the good direction: negative for a metric that should decrease'
				);
			}
		}
		if (m.staffTime === true) {
			if (m.unit !== 'min' && m.unit !== 'h') {
				issue('unit', 'a staff-time metric needs unit "min" or "h" to turn into hours saved');
			}
			if (m.kind !== 'mean') issue('staffTime', 'only a mean metric can be staff time');
		}
	});

export const economicsSchema = z.object({
	currency: z
		.string()
		.regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code, e.g. EUR')
		.optional(),
	hourlyCost: z.number().nonnegative().optional(),
	monthlyVolume: z.number().nonnegative().optional(),
	timeRecapture: z
		.number()
		.min(0, 'a share between 0 and 1')
		.max(1, 'a share between 0 and 1')
		.optional(),
	costs: z
		.object({
			oneOff: z.number().nonnegative().optional(),
			monthly: z.number().nonnegative().optional(),
			perCase: z.number().nonnegative().optional()
		})
		.optional()
});

function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/**
 * Exactly one metric is primary: the ROI indicator the recommendation and the portfolio
 * headline rest on. The one rule of the plan page and the API alike.
 */
export function primaryMetricRule(
	metrics: readonly Pick<MetricDefinition, 'key' | 'role'>[],
	ctx: z.RefinementCtx
): void {
	const primaries = metrics.filter((m) => m.role === 'primary');
	if (primaries.length === 1) return;
	ctx.addIssue({
		code: 'custom',
		path: ['metrics'],
		message:
			primaries.length === 0
				? 'mark exactly one metric as primary: the ROI indicator that decides whether the pilot pays off'
				: `only one metric can be primary (the ROI indicator); found ${primaries.map((m) => m.key).join(', ')}`
	});
}

/** Each metric key once: a repeated one is an issue at its row, in the words of `message`. */
export function uniqueKeysRule(
	metrics: readonly Pick<MetricDefinition, 'key'>[],
	ctx: z.RefinementCtx,
	message: (key: string) => string
): void {
	const seen = new Set<string>();
	metrics.forEach((metric, i) => {
		if (seen.has(metric.key)) {
			ctx.addIssue({ code: 'custom', path: ['metrics', i, 'key'], message: message(metric.key) });
		}
		seen.add(metric.key);
	});
}

export const planSchema = z
	.looseObject({
		slug: z
			.string()
			.min(1)
			.max(64)
			.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes'),
		name: z.string().min(1).max(200),
		timezone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Europe/Madrid').optional(),
		baselineWindow: windowSchema,
		pilotWindow: windowSchema,
		economics: economicsSchema.optional(),
		metrics: z.array(metricSchema).min(1, 'define at least one metric'),
		minSamples: z.number().int().min(2).default(30),
		plannedPilotCases: z
			.number()
			.int()
			.positive()
			.optional()
			.describe(
				'cases the pilot expects over its window; tunes the anytime-valid intervals (default: economics.monthlyVolume over the window, else the baseline size)'
			),
		evaluationGates: z
			.record(z.string(), z.number().min(0).max(1, 'a pass rate between 0 and 1'))
			.optional()
	})
	.superRefine((plan, ctx) => {
		uniqueKeysRule(plan.metrics, ctx, (key) => `metric key "${key}" is used twice`);
		primaryMetricRule(plan.metrics, ctx);
		for (const gate of Object.keys(plan.evaluationGates ?? {})) {
			if (RESERVED_NAMES.has(gate)) {
				ctx.addIssue({
					code: 'custom',
					path: ['evaluationGates', gate],
					message: `"${gate}" is a name every object has; choose another name`
				});
			}
		}
		if (Date.parse(plan.baselineWindow.end) > Date.parse(plan.pilotWindow.start)) {
			ctx.addIssue({
				code: 'custom',
				path: ['pilotWindow', 'start'],
				message: 'the pilot window must start after the baseline window ends'
			});
		}
	});

export type PlanDefinition = z.infer<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type MetricDefinition = z.infer<typeof metricSchema>;
export type Economics = z.infer<typeof economicsSchema>;
export type TimeWindow = z.infer<typeof windowSchema>;

/** What the plan stores beside the pilot's own columns (windows, time zone live on `pilots`). */
export interface StoredPlan {
	metrics: MetricDefinition[];
	economics?: Economics;
	minSamples: number;
	/** Cases the pilot expects; tunes the anytime-valid intervals. */
	plannedPilotCases?: number;
	evaluationGates?: Record<string, number>;
}
