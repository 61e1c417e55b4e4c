import { z } from 'zod';
import { governanceItems, type GovernanceKey } from '../domain/governance';

// One schema for the pilot's identity, charter and governance: used by the form actions,
// the API and (later) the OpenAPI document. Charter and governance answers may be empty
// while a pilot is a draft; readiness (src/lib/domain/readiness.ts) says what is missing.

const answer = z
	.string()
	.trim()
	.max(2000, { error: 'Keep this under 2,000 characters' })
	.default('');

export const charterSchema = z.object({
	problem: answer,
	businessOwner: answer,
	technicalOwner: answer,
	users: z
		.array(z.string().trim().min(1).max(200, { error: 'A name is at most 200 characters' }))
		.max(50, { error: 'List at most 50 users or groups' })
		.default([]),
	data: answer,
	integration: answer,
	risk: answer,
	evaluation: answer,
	roiIndicator: answer,
	adoption: answer
});

export const governanceSchema = z.object(
	Object.fromEntries(governanceItems.map((item) => [item.key, answer])) as Record<
		GovernanceKey,
		typeof answer
	>
);

export type Charter = z.infer<typeof charterSchema>;
export type Governance = z.infer<typeof governanceSchema>;

const isoDate = z.iso.date({ error: 'Use a date like 2026-09-01' });

/** A window as the form shows it: first and last day, inclusive, in the pilot's time zone. */
const isDay = (value: string): boolean => isoDate.safeParse(value).success;

const dayWindow = z
	.object({ firstDay: isoDate, lastDay: isoDate })
	// Only compare two valid dates; an invalid one already has its own message.
	.refine((w) => !isDay(w.firstDay) || !isDay(w.lastDay) || w.lastDay >= w.firstDay, {
		error: 'The last day must not be before the first day',
		path: ['lastDay']
	});

export const validTimezones: readonly string[] = Intl.supportedValuesOf('timeZone').concat('UTC');

export const pilotFormSchema = z
	.object({
		name: z
			.string()
			.trim()
			.min(3, { error: 'Give the pilot a name of at least 3 characters', abort: true })
			.max(120, { error: 'Keep the name under 120 characters' })
			.refine((name) => /[\p{L}\p{N}]/u.test(name), {
				error: 'The name needs at least one letter or digit'
			}),
		process: z
			.string()
			.trim()
			.min(10, { error: 'Describe the one concrete process this pilot improves' })
			.max(500, { error: 'Keep the process under 500 characters' }),
		timezone: z.string().refine((tz) => validTimezones.includes(tz), {
			error: 'Choose a time zone from the list'
		}),
		baselineWindow: dayWindow.nullable().default(null),
		pilotWindow: dayWindow.nullable().default(null),
		charter: charterSchema,
		governance: governanceSchema
	})
	.refine(
		(p) =>
			!p.baselineWindow ||
			!p.pilotWindow ||
			!isDay(p.pilotWindow.firstDay) ||
			!isDay(p.baselineWindow.lastDay) ||
			p.pilotWindow.firstDay > p.baselineWindow.lastDay,
		{
			error: 'The pilot window must start after the baseline window ends',
			path: ['pilotWindow', 'firstDay']
		}
	);

export type PilotForm = z.infer<typeof pilotFormSchema>;
export type PilotFormInput = z.input<typeof pilotFormSchema>;

export const stageActionSchema = z.object({
	action: z.enum(['begin-baseline', 'start-pilot', 'record-decision', 'reopen-draft'], {
		error: 'Unknown stage action'
	})
});
