import { z } from 'zod';
import { silentDaysRule } from '../domain/alerts';
import { charterSchema, governanceSchema } from './pilot';

// The parts of the API's pilot definition (shared docs/api.md "Pilots") beyond the measurement plan
// of `plan.ts`: they are validated beside `planSchema` on the same JSON body.

export const amendmentSchema = z.object({
	reason: z
		.string()
		.trim()
		.min(10, { error: 'Say why the locked plan changes, in at least 10 characters' })
		.max(2000, { error: 'Keep the reason under 2,000 characters' })
});

const silentDaysMessage = `a whole number of working days from ${silentDaysRule.min} to ${silentDaysRule.max}`;

/** Working days without new events before the pilot's `data.silent` alert. */
export const silentDaysSchema = z
	.number({ error: silentDaysMessage })
	.int({ error: silentDaysMessage })
	.min(silentDaysRule.min, { error: silentDaysMessage })
	.max(silentDaysRule.max, { error: silentDaysMessage })
	.describe(
		`Working days (Monday–Friday) without new events, while the pilot window is open, before the data.silent alert; default ${silentDaysRule.default}.`
	);

/** The pilot's settings that change without replacing its definition (PATCH). */
export const pilotSettingsSchema = z.strictObject({ silentDays: silentDaysSchema });

export const definitionExtrasSchema = z.object({
	process: z
		.string()
		.trim()
		.max(500, { error: 'Keep the process under 500 characters' })
		.default(''),
	charter: charterSchema.default(charterSchema.parse({})),
	governance: governanceSchema.default(governanceSchema.parse({})),
	/** Required (with a reason) to change the measurement plan once the pilot has started. */
	amendment: amendmentSchema.optional(),
	/** Left out: unchanged (default 2 for a new pilot). */
	silentDays: silentDaysSchema.optional()
});

export type DefinitionExtras = z.infer<typeof definitionExtrasSchema>;
export type Amendment = z.infer<typeof amendmentSchema>;

const source = z
	.string()
	.trim()
	.min(3, { error: 'Say where the numbers come from, e.g. "Zendesk export, September"' })
	.max(500);

/** A baseline entered by hand (docs/api.md "Baseline summaries"). */
export const baselineSummarySchema = z.union(
	[
		z.object({
			n: z.number().int().min(2, { error: 'n is the number of cases, at least 2' }),
			mean: z.number(),
			sd: z.number().nonnegative({ error: 'a standard deviation is 0 or more' }),
			source,
			amendment: amendmentSchema.optional()
		}),
		z
			.object({
				n: z.number().int().min(2, { error: 'n is the number of cases, at least 2' }),
				successes: z.number().int().nonnegative(),
				source,
				amendment: amendmentSchema.optional()
			})
			.refine((s) => s.successes <= s.n, {
				error: 'successes cannot exceed n',
				path: ['successes']
			})
	],
	{
		error:
			'send { n, mean, sd, source } for a mean metric or { n, successes, source } for a proportion'
	}
);

export type BaselineSummaryInput = z.infer<typeof baselineSummarySchema>;
