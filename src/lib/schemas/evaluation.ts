import { z } from 'zod';
import { criterionKeys } from '$lib/domain/evaluation-criteria';

// One evaluation run of the AI (shared/API.md "Evaluations and decisions"): pass counts per
// criterion; a criterion not tested is absent.

const counts = z
	.object({
		passed: z
			.number({ error: 'passed must be a whole number' })
			.int()
			.min(0, { error: 'passed cannot be negative' }),
		total: z
			.number({ error: 'total must be a whole number' })
			.int()
			.min(1, { error: 'total must be at least 1' })
	})
	.strict()
	.refine((c) => c.passed <= c.total, { error: 'passed cannot exceed total', path: ['passed'] });

export const evaluationRunSchema = z
	.object({
		name: z
			.string({ error: 'Name the run after what was evaluated, e.g. “prompt v3”' })
			.trim()
			.min(1, { error: 'Name the run after what was evaluated, e.g. “prompt v3”' })
			.max(200),
		runAt: z.iso
			.datetime({ offset: true, error: 'runAt must be an ISO 8601 date-time with Z or an offset' })
			.optional(),
		criteria: z.record(z.string(), counts).superRefine((criteria, ctx) => {
			for (const key of Object.keys(criteria)) {
				if (!(criterionKeys as string[]).includes(key)) {
					ctx.addIssue({
						code: 'custom',
						path: [key],
						message: `Unknown criterion “${key}”; use one of ${criterionKeys.join(', ')}`
					});
				}
			}
			if (Object.keys(criteria).length === 0) {
				ctx.addIssue({ code: 'custom', message: 'Give the pass counts of at least one criterion' });
			}
		})
	})
	.strict();

export type EvaluationRunInput = z.infer<typeof evaluationRunSchema>;
