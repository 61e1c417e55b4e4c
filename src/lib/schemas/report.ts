import { z } from 'zod';

// The impact report of shared/API.md as a schema: the fields API.md binds, and the documented
// extras. The report itself is built by the metrics core; this describes it for the OpenAPI
// document and lets tests check that the endpoint answers exactly this shape.

const number = z.number();
const interval = z.tuple([number, number]).nullable();

const change = z
	.object({
		estimate: number,
		ci95: interval.describe('95% interval; null when it cannot be computed'),
		pValue: number.nullable().describe("two-sided p-value of Welch's t-test"),
		standardError: number.nullable(),
		df: number.nullable().describe('Welch–Satterthwaite degrees of freedom')
	})
	.nullable();

export const metricReportSchema = z.looseObject({
	key: z.string(),
	kind: z.enum(['mean', 'proportion', 'ratio', 'quantile']),
	direction: z.enum(['increase', 'decrease']),
	role: z.enum(['primary', 'secondary', 'guardrail']),
	baseline: z.looseObject({
		n: z.number().int(),
		value: number.nullable(),
		source: z.enum(['events', 'summary']).nullable(),
		sourceNote: z.string().optional()
	}),
	pilot: z.object({ n: z.number().int(), value: number.nullable() }),
	absoluteChange: change.describe('value(pilot) − value(baseline)'),
	relativeChange: change.describe('absolute change / value(baseline), delta-method interval'),
	verdict: z.enum(['improved', 'worsened', 'no_detectable_change', 'insufficient_data']),
	meetsTarget: z.boolean().nullable(),
	guardrail: z.enum(['holds', 'breached', 'unclear']).nullable(),
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
