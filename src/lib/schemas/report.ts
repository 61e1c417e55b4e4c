import { z } from 'zod';
import { metricKinds, metricRoles } from '../domain/terms';

// The impact report of docs/api.md as a schema: the fields docs/api.md binds, and the documented
// extras. The report itself is built by the metrics core; this describes it for the OpenAPI
// document and lets tests check that the endpoint answers exactly this shape.

const number = z.number();
const interval = z.tuple([number, number]).nullable();

const change = z
	.object({
		estimate: number,
		ci95: interval.describe(
			'fixed-horizon 95% interval (valid for one look at a fixed sample size); null when it cannot be computed'
		),
		pValue: number
			.nullable()
			.describe("two-sided p-value of Welch's t-test (fixed horizon: valid for one look)"),
		standardError: number.nullable(),
		df: number.nullable().describe('Welch–Satterthwaite degrees of freedom')
	})
	.nullable();

const judged = z
	.object({
		ci95: interval.describe('the interval judged on; null when it cannot be computed yet'),
		pValue: number.nullable().describe('anytime-valid p-value (fixed-horizon for quantiles)')
	})
	.nullable();

const decisionInterval = z
	.object({
		method: z
			.enum(['confidence_sequence', 'fixed_horizon_at_planned_cases'])
			.describe(
				'confidence_sequence: an asymptotic confidence sequence (Waudby-Smith et al. 2021, as GrowthBook and Eppo), valid however often the report is read; fixed_horizon_at_planned_cases: quantile metrics, judged on their fixed-horizon interval and only once the planned pilot cases are in'
			),
		tuningCases: z
			.number()
			.nullable()
			.describe(
				'cases at which the sequence is tightest: baseline cases + planned pilot cases. N = baseline cases + pilot cases, as gbstats counts both arms; the baseline is fixed, so N starts at its size'
			),
		adjustment: z
			.enum(['holm', 'benjamini_hochberg', 'none'])
			.describe(
				'holm: the primary metric and the guardrails, adjusted together; benjamini_hochberg: the secondary metrics; none: a family of one, or not tested'
			),
		familySize: z.number().int().describe('tests adjusted together'),
		alpha: number.describe('error rate the intervals are drawn at after the adjustment'),
		pValueAdjusted: number.nullable(),
		absoluteChange: judged,
		relativeChange: judged
	})
	.describe(
		'The interval `verdict`, `meetsTarget` and `guardrail` are judged on. `absoluteChange` and `relativeChange` keep the fixed-horizon interval (valid for a single look at a fixed sample size).'
	);

const segmentResult = z.looseObject({
	segment: z.string().describe('segment name, or "other" for the pooled small segments'),
	pooled: z.array(z.string()).describe('for "other": the segments pooled into it'),
	baseline: z.object({ n: z.number().int(), value: number.nullable() }),
	pilot: z.object({ n: z.number().int(), value: number.nullable() }),
	absoluteChange: change,
	relativeChange: change,
	decisionInterval,
	verdict: z.enum(['improved', 'worsened', 'no_detectable_change', 'insufficient_data']),
	guardrail: z.enum(['holds', 'breached', 'unclear']).nullable(),
	differs: z
		.object({
			estimate: number.describe("this segment's change minus the other segments' change"),
			ci95: interval,
			pValueAdjusted: number.nullable(),
			flagged: z.boolean()
		})
		.nullable(),
	shareOfChange: number.nullable().describe("primary metric: this segment's share of the change")
});

const segmentBreakdownSchema = z
	.object({
		metricKey: z.string(),
		label: z.string(),
		role: z.enum(['primary', 'guardrail']),
		minCases: z.number().int(),
		segments: z.array(segmentResult)
	})
	.describe(
		'The primary metric and each guardrail per segment (events’ `segment`): segments with at least minCases cases in both phases, at most 8, the rest pooled as "other"; Holm-adjusted anytime intervals across the segments; `differs` flags a segment whose change differs from the rest. Quantile metrics are not broken down.'
	);

const sentence = z.string();
const baselineDriftSchema = z
	.looseObject({
		metricKey: z.string(),
		trend: z.looseObject({
			days: z.number().int(),
			slopePerDay: change,
			relativePerWeek: change
		}),
		projection: z.looseObject({
			gapDays: number.nullable(),
			absolute: change,
			relative: change
		}),
		weekdayMix: z.looseObject({ absolute: number.nullable(), relative: number.nullable() }),
		parallelTrends: z.looseObject({ parallel: z.boolean().nullable() }).nullable(),
		changeNetOfTrend: number.nullable(),
		trendReachesTarget: z
			.boolean()
			.describe(
				'the trend could explain reaching the target (slope clear of 0 in the good direction on an 80% interval, and the change net of the trend does not meet the target): no `scale`'
			),
		sentences: z.object({
			trend: sentence,
			weekdayMix: sentence,
			parallelTrends: sentence.nullable()
		})
	})
	.nullable()
	.describe(
		"The primary metric's baseline trend (weighted least squares of daily values on time, Newey–West errors), what it alone would explain, the weekday mix of both windows, and with a control cohort whether both baselines moved in parallel. null without per-day data."
	);

export const metricReportSchema = z.looseObject({
	key: z.string(),
	kind: z.enum(metricKinds),
	direction: z.enum(['increase', 'decrease']),
	role: z.enum(metricRoles),
	baseline: z.looseObject({
		n: z.number().int(),
		value: number.nullable(),
		source: z.enum(['events', 'summary']).nullable(),
		sourceNote: z.string().optional()
	}),
	pilot: z.object({ n: z.number().int(), value: number.nullable() }),
	absoluteChange: change.describe('value(pilot) − value(baseline)'),
	relativeChange: change.describe('absolute change / value(baseline), delta-method interval'),
	verdict: z
		.enum(['improved', 'worsened', 'no_detectable_change', 'insufficient_data'])
		.describe(
			'judged on `decisionInterval` (anytime-valid, adjusted), not on the fixed-horizon ci95'
		),
	meetsTarget: z
		.boolean()
		.nullable()
		.describe(
			'improved, the point estimate reaches the target, and the decision interval rules out a gain smaller than a quarter of the target'
		),
	guardrail: z.enum(['holds', 'breached', 'unclear']).nullable(),
	decisionInterval,
	label: z.string(),
	unit: z.string().nullable(),
	reasons: z.array(z.string()).describe('machine-readable reasons why numbers are missing')
});

export const impactReportSchema = z.looseObject({
	pilot: z.object({ slug: z.string(), name: z.string(), stage: z.string() }),
	generatedAt: z.string().describe('ISO 8601 date-time'),
	metrics: z.array(metricReportSchema),
	economics: z.looseObject({
		currency: z.string().nullable(),
		benefitToDate: number.nullable(),
		costToDate: number.nullable(),
		netToDate: number.nullable(),
		annualNetBenefit: number.nullable(),
		roi: number.nullable(),
		paybackMonths: number.nullable(),
		missing: z.array(z.string()).describe('inputs the valuation lacks, in words')
	}),
	recommendation: z.looseObject({
		decision: z.enum(['scale', 'correct', 'discard', 'keep_measuring']),
		reasons: z.array(z.string()),
		rule: z.string()
	}),
	cases: z.object({
		baseline: z.object({ ai: z.number().int(), control: z.number().int() }),
		pilot: z.object({ ai: z.number().int(), control: z.number().int() })
	}),
	pilotDaysElapsed: number.nullable(),
	plannedPilotCases: z
		.object({
			cases: z.number().int(),
			source: z
				.enum(['plan', 'monthly_volume', 'baseline'])
				.describe(
					"the plan's plannedPilotCases, else economics.monthlyVolume over the pilot window, else the baseline's size"
				)
		})
		.nullable(),
	segments: z.array(segmentBreakdownSchema),
	baselineDrift: baselineDriftSchema,
	amendments: z
		.array(z.object({ at: z.string(), reason: z.string(), by: z.string().optional() }))
		.describe('"plan amended on …: reason", oldest first')
});

export const problemSchema = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number().int(),
	detail: z.string(),
	errors: z
		.array(
			z.object({
				index: z.number().int().optional().describe('0-based position of the event in the batch'),
				id: z.string().optional().describe('the event id, when the row had one'),
				path: z.string().describe('e.g. events[3].measures.csat'),
				message: z.string()
			})
		)
		.optional()
});

export const ingestResultSchema = z.object({
	accepted: z.number().int().describe('new events stored'),
	duplicates: z.number().int().describe('events already stored with the same id and content')
});
