import type { z } from 'zod';

/** A form's messages, by field path: what the page shows beside each field. */
export type FieldErrors = Record<string, string[]>;

/** zod issues → messages per field path; a list's items report on the list itself. */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
	return byPath(
		issues.map((issue) => ({
			path: issue.path.filter((part) => typeof part === 'string').join('.'),
			message: issue.message
		}))
	);
}

/** Messages with a path (a service's refusal, a zod issue) grouped per field; none: `form`. */
export function byPath(errors: readonly { path: string; message: string }[]): FieldErrors {
	const grouped: FieldErrors = {};
	for (const { path, message } of errors) (grouped[path || 'form'] ??= []).push(message);
	return grouped;
}
