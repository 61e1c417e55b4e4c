import { evaluationCriteria } from '$lib/domain/evaluation-criteria';
import { z } from 'zod';
import {
	economicsSchema,
	metricSchema,
	primaryMetricRule,
	uniqueKeysRule,
	type MetricDefinition,
	type StoredPlan
} from '$lib/schemas/plan';
import type { FieldErrors } from './field-errors';

// The measurement plan form: one row of fields per metric ("metrics.0.kind"), economics and
// gates. Relative targets, tolerances and shares are typed as percentages, as people say them.

export { metricKinds, metricRoles } from '$lib/domain/terms';
/** The plan gates the same criteria the evaluation runs measure. */
export const gateCriteria: readonly { key: string; label: string }[] = evaluationCriteria;

export const rowFields = [
	'key',
	'label',
	'unit',
	'kind',
	'measure',
	'numerator',
	'denominator',
	'quantile',
	'direction',
	'role',
	'targetType',
	'targetValue',
	'toleranceType',
	'toleranceValue',
	'valuePerUnit',
	'staffTime',
	'adoption'
] as const;
export type MetricRow = Record<(typeof rowFields)[number], string>;

export const economicsFields = [
	'currency',
	'hourlyCost',
	'monthlyVolume',
	'timeRecapture',
	'oneOff',
	'monthly',
	'perCase'
] as const;

export interface PlanFormValues {
	metrics: MetricRow[];
	economics: Record<(typeof economicsFields)[number], string>;
	minSamples: string;
	gates: Record<string, string>;
	reason: string;
}

/** A blank metric row: the form's way to add a metric. */
export const emptyMetricRow = (): MetricRow =>
	Object.fromEntries(rowFields.map((f) => [f, ''])) as unknown as MetricRow;

/** Trims trailing zeros from a number shown back in a field (0.2 → "20" as a percentage). */
const show = (x: number | undefined, scale = 1): string =>
	x === undefined ? '' : String(Number((x * scale).toPrecision(12)));

/** The stored plan as form values, plus one empty row to add a metric. */
export function planToValues(plan: StoredPlan | null): PlanFormValues {
	const rows: MetricRow[] = (plan?.metrics ?? []).map((m) => {
		const scaled = (s: MetricDefinition['target']): [string, string] =>
			s === undefined
				? ['', '']
				: 'relative' in s
					? ['relative', show(s.relative, 100)]
					: ['absolute', show(s.absolute)];
		const [targetType, targetValue] = scaled(m.target);
		const [toleranceType, toleranceValue] = scaled(m.tolerance);
		return {
			key: m.key,
			label: m.label ?? '',
			unit: m.unit ?? '',
			kind: m.kind,
			measure: m.measure ?? '',
			numerator: m.numerator ?? '',
			denominator: m.denominator ?? '',
			quantile: show(m.quantile),
			direction: m.direction,
			role: m.role,
			targetType,
			targetValue,
			toleranceType,
			toleranceValue,
			valuePerUnit: show(m.valuePerUnit),
			staffTime: m.staffTime ? 'on' : '',
			adoption: m.adoption ? 'on' : ''
		};
	});
	const e = plan?.economics;
	return {
		metrics: [...rows, emptyMetricRow()],
		economics: {
			currency: e?.currency ?? '',
			hourlyCost: show(e?.hourlyCost),
			monthlyVolume: show(e?.monthlyVolume),
			timeRecapture: show(e?.timeRecapture, 100),
			oneOff: show(e?.costs?.oneOff),
			monthly: show(e?.costs?.monthly),
			perCase: show(e?.costs?.perCase)
		},
		minSamples: show(plan?.minSamples ?? 30),
		gates: Object.fromEntries(
			gateCriteria.map((g) => [g.key, show(plan?.evaluationGates?.[g.key], 100)])
		),
		reason: ''
	};
}

export function valuesFromForm(data: FormData): PlanFormValues {
	const text = (name: string): string => String(data.get(name) ?? '').trim();
	const metrics: MetricRow[] = [];
	for (let i = 0; data.has(`metrics.${i}.key`); i++) {
		metrics.push(
			Object.fromEntries(rowFields.map((f) => [f, text(`metrics.${i}.${f}`)])) as MetricRow
		);
	}
	return {
		metrics,
		economics: Object.fromEntries(
			economicsFields.map((f) => [f, text(`economics.${f}`)])
		) as PlanFormValues['economics'],
		minSamples: text('minSamples'),
		gates: Object.fromEntries(gateCriteria.map((g) => [g.key, text(`gates.${g.key}`)])),
		reason: text('amendment.reason')
	};
}

const planBodySchema = z
	.object({
		metrics: z.array(metricSchema).min(1, 'define at least one metric'),
		economics: economicsSchema.optional(),
		minSamples: z
			.number({ error: 'a whole number of cases, e.g. 30' })
			.int({ error: 'a whole number of cases, e.g. 30' })
			.min(2, { error: 'at least 2 cases per phase' }),
		evaluationGates: z.record(z.string(), z.number().min(0).max(1)).optional()
	})
	.superRefine((plan, ctx) => {
		primaryMetricRule(plan.metrics, ctx);
		uniqueKeysRule(plan.metrics, ctx, (key) => `the key “${key}” is used twice`);
	});

export type PlanBody = z.infer<typeof planBodySchema>;

/**
 * Turns typed values into a plan, or into messages per field. Rows with an empty key are
 * ignored (the blank row for adding a metric).
 */
export function parsePlanForm(
	values: PlanFormValues
): { ok: true; plan: PlanBody } | { ok: false; errors: FieldErrors } {
	const errors: FieldErrors = {};
	const add = (field: string, message: string): void => {
		(errors[field] ??= []).push(message);
	};
	const num = (field: string, raw: string, scale = 1): number | undefined => {
		if (raw === '') return undefined;
		const x = Number(raw.replace(/\s/g, '').replace(',', '.').replace('−', '-').replace('%', ''));
		if (!Number.isFinite(x)) {
			add(field, `“${raw}” is not a number`);
			return undefined;
		}
		return x * scale;
	};
	const rowIndex: number[] = [];
	const metrics = values.metrics.flatMap((row, i) => {
		if (row.key === '') return [];
		rowIndex.push(i);
		const p = `metrics.${i}.`;
		const scaled = (type: string, value: string, field: string) => {
			if (type === '' && value === '') return undefined;
			if (type === '') {
				add(`${p}${field}`, 'choose “% of baseline” or “units”');
				return undefined;
			}
			const x = num(`${p}${field}`, value, type === 'relative' ? 0.01 : 1);
			if (x === undefined) {
				if (value === '') add(`${p}${field}`, 'enter the size');
				return undefined;
			}
			return type === 'relative' ? { relative: x } : { absolute: x };
		};
		const optional = (s: string): string | undefined => (s === '' ? undefined : s);
		return [
			{
				key: row.key,
				label: optional(row.label),
				unit: optional(row.unit),
				kind: row.kind,
				measure: row.kind === 'ratio' ? undefined : optional(row.measure),
				numerator: row.kind === 'ratio' ? optional(row.numerator) : undefined,
				denominator: row.kind === 'ratio' ? optional(row.denominator) : undefined,
				quantile: row.kind === 'quantile' ? num(`${p}quantile`, row.quantile) : undefined,
				direction: row.direction,
				role: row.role || 'secondary',
				target: scaled(row.targetType, row.targetValue, 'target'),
				tolerance: scaled(row.toleranceType, row.toleranceValue, 'tolerance'),
				valuePerUnit: num(`${p}valuePerUnit`, row.valuePerUnit),
				staffTime: row.staffTime === 'on' ? true : undefined,
				adoption: row.adoption === 'on' ? true : undefined
			}
		];
	});
	const e = values.economics;
	const costs = {
		oneOff: num('economics.oneOff', e.oneOff),
		monthly: num('economics.monthly', e.monthly),
		perCase: num('economics.perCase', e.perCase)
	};
	const economics = {
		currency: e.currency === '' ? undefined : e.currency.toUpperCase(),
		hourlyCost: num('economics.hourlyCost', e.hourlyCost),
		monthlyVolume: num('economics.monthlyVolume', e.monthlyVolume),
		timeRecapture: num('economics.timeRecapture', e.timeRecapture, 0.01),
		costs
	};
	const gates: Record<string, number> = {};
	for (const g of gateCriteria) {
		const x = num(`gates.${g.key}`, values.gates[g.key] ?? '', 0.01);
		if (x !== undefined) gates[g.key] = x;
	}
	const minSamples = num('minSamples', values.minSamples);
	if (minSamples === undefined && values.minSamples === '')
		add('minSamples', 'enter a number of cases');

	const parsed = planBodySchema.safeParse({
		metrics,
		economics,
		minSamples,
		evaluationGates: Object.keys(gates).length > 0 ? gates : undefined
	});
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const [head, index, ...rest] = issue.path.map(String);
			let field = issue.path.map(String).join('.');
			// Paths count only the filled rows; messages go next to the row as it is shown.
			if (head === 'metrics' && index !== undefined) {
				field = ['metrics', rowIndex[Number(index)], ...rest].join('.');
			}
			if (head === 'economics' && index === 'costs') field = ['economics', ...rest].join('.');
			if (head === 'evaluationGates') field = ['gates', ...issue.path.slice(1)].join('.');
			if (field === '') field = 'form';
			if (!errors[field]?.includes(issue.message)) add(field, issue.message);
		}
	}
	if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
	return { ok: true, plan: parsed.data };
}
