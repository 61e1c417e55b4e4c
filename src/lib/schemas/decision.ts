import { z } from 'zod';
import { decisionKinds } from '../domain/lifecycle';

/**
 * A decision, from the pilot page's form or the API (docs/api.md "Evaluations and decisions").
 * One rule for both: the rationale may be empty when the decision follows the recommendation;
 * an override needs one of substance (`overrideRationaleProblem` in domain/override.ts), which
 * the decisions service checks against the report of the moment.
 */
export const decisionSchema = z.object({
	decision: z.enum(decisionKinds, { error: 'Choose a decision: scale, correct or discard' }),
	rationale: z
		.string()
		.trim()
		.max(4000, { error: 'Keep the rationale under 4,000 characters' })
		.default('')
});

export type DecisionInput = z.infer<typeof decisionSchema>;
