/**
 * A TextField's `value` and `errors` from the server's answer to a failed post, so the person
 * sees what they typed and what was wrong with it; before any post, the fallback and no errors.
 */
export function answered(
	values: Readonly<Record<string, string | undefined>> | null | undefined,
	errors: Readonly<Record<string, string[] | undefined>>,
	name: string,
	fallback = ''
): { value: string; errors: string[] } {
	return { value: values?.[name] ?? fallback, errors: errors[name] ?? [] };
}
