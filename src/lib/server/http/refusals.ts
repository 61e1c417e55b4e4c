import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { byPath, type FieldErrors } from '../../forms/field-errors';
import type { Refusal, Result } from '../result';
import type { ProblemRowError } from './problem';

// The two ways a refusal leaves the server: as the API's problem+json (thrown here, answered
// by the `apiProblems` hook) or as a form's messages beside its fields.

/**
 * Ends an API request: the hook answers problem+json with this status, detail and errors.
 * Endpoints throw instead of returning, so every step can refuse in one line.
 */
export function refuse(status: number, detail: string, errors?: ProblemRowError[]): never {
	error(status, { message: detail, ...(errors ? { errors } : {}) });
}

/** The value, or the refusal thrown as problem+json. */
export function valueOf<T>(result: Result<T>): T {
	if (result.ok) return result.value;
	refuse(result.status, result.detail, result.errors);
}

/**
 * A refusal as the form's answer: 404 as the page's error, anything else as messages beside
 * the fields named by the errors' paths (`field` when they name none).
 */
export function formRefusal<V>(
	refused: Refusal,
	values: V,
	field = 'form'
): ActionFailure<{ values: V; errors: FieldErrors }> {
	if (refused.status === 404) error(404, refused.detail);
	const errors =
		refused.errors.length > 0
			? byPath(refused.errors.map((e) => ({ ...e, path: e.path || field })))
			: { [field]: [refused.detail] };
	return fail(refused.status === 422 ? 400 : refused.status, { values, errors });
}
