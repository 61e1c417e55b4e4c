import { definitionExtrasSchema } from '$lib/schemas/definition';
import { planSchema } from '$lib/schemas/plan';
import { issuesToErrors } from '../http/api';
import type { DefinitionInput } from './plans';
import type { ProblemRowError } from '../http/problem';

/**
 * Validates an API pilot definition: the measurement plan (`planSchema`) and the rest
 * (process, charter, governance, amendment) on the same body, all issues at once.
 */
export function parseDefinition(
	body: unknown
): { ok: true; value: DefinitionInput } | { ok: false; errors: ProblemRowError[] } {
	const plan = planSchema.safeParse(body);
	const extras = definitionExtrasSchema.safeParse(body);
	if (plan.success && extras.success) return { ok: true, value: { ...plan.data, ...extras.data } };
	return {
		ok: false,
		errors: [
			...(plan.success ? [] : issuesToErrors(plan.error.issues)),
			...(extras.success ? [] : issuesToErrors(extras.error.issues))
		]
	};
}
