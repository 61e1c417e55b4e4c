import { expect } from 'vitest';

/**
 * Paths of every number in `value` that is NaN or ±Infinity (`$.metrics[0].ci95[1] = NaN`).
 * Walks the objects themselves: `JSON.stringify` writes NaN and Infinity as `null`, so a check
 * on its text cannot see them.
 */
export function nonFiniteNumbers(
	value: unknown,
	path = '$',
	seen = new WeakSet<object>()
): string[] {
	if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	const entries: [string, unknown][] =
		value instanceof Map
			? [...value].map(([k, v]) => [`.get(${String(k)})`, v])
			: value instanceof Set
				? [...value].map((v, i) => [`{${i}}`, v])
				: Array.isArray(value) || ArrayBuffer.isView(value)
					? Object.entries(value).map(([k, v]) => [`[${k}]`, v])
					: Object.entries(value).map(([k, v]) => [`.${k}`, v]);
	return entries.flatMap(([step, child]) => nonFiniteNumbers(child, path + step, seen));
}

/** Fails, naming each offending path, when any number inside `value` is not finite. */
export function expectFiniteNumbers(value: unknown): void {
	const found = nonFiniteNumbers(value);
	expect(found, `numbers that are not finite: ${found.join(', ')}`).toEqual([]);
}
