import { z } from 'zod';
import { criterionKeys } from '../domain/evaluation-criteria';

// One evaluation run of the AI (docs/api.md "Evaluations and decisions"): pass counts per
// criterion; a criterion not tested is absent.

const earliestRun = Date.parse('2000-01-01T00:00:00Z');
const dayMs = 24 * 60 * 60 * 1000;

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
		// The latest run decides the gates: a run dated in the future would stay "latest" for
		// ever, so runAt may lead the clock by at most a day (time zones, skew).
		runAt: z.iso
			.datetime({ offset: true, error: 'runAt must be an ISO 8601 date-time with Z or an offset' })
			.refine((at) => Date.parse(at) >= earliestRun, { error: 'runAt cannot be before 2000' })
			.refine((at) => Date.parse(at) <= Date.now() + dayMs, {
				error: 'runAt cannot be in the future'
			})
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
