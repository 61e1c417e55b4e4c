import { z } from 'zod';
import { decisionKinds } from '../domain/lifecycle';

export const decisionFormSchema = z.object({
	decision: z.enum(decisionKinds, { error: 'Choose scale, correct or discard' }),
	rationale: z
		.string()
		.trim()
		.min(20, { error: 'Explain the decision in at least 20 characters: others will read it' })
		.max(4000, { error: 'Keep the rationale under 4,000 characters' })
});

export type DecisionForm = z.infer<typeof decisionFormSchema>;

/**
 * A decision sent to the API (docs/api.md "Evaluations and decisions"). The rationale is
 * required for an override (a decision other than the recommendation); the endpoint checks
 * that against the report of the moment.
 */
export const apiDecisionSchema = z.object({
	decision: z.enum(decisionKinds, { error: 'decision is "scale", "correct" or "discard"' }),
	rationale: z
		.string()
		.trim()
		.max(4000, { error: 'Keep the rationale under 4,000 characters' })
		.default('')
});

export type ApiDecision = z.infer<typeof apiDecisionSchema>;
