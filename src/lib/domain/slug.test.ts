import { describe, expect, test } from 'vitest';
import { slugify, uniqueSlug } from './slug';

describe('slugify', () => {
	test.each([
		['Email triage assistant', 'email-triage-assistant'],
		['  Facturación   de proveedores ', 'facturacion-de-proveedores'],
		['FAQ: answers (v2)!', 'faq-answers-v2'],
		['Œuvre & Co', 'uvre-co'],
		['日本語', 'pilot'],
		['---', 'pilot'],
		['a'.repeat(80), 'a'.repeat(60)]
	])('%j → %j', (name, slug) => {
		expect(slugify(name)).toBe(slug);
	});
});

describe('uniqueSlug', () => {
	test('keeps a free slug and numbers a taken one', () => {
		const taken = new Set(['triage', 'triage-2']);
		expect(uniqueSlug('intake', (s) => taken.has(s))).toBe('intake');
		expect(uniqueSlug('triage', (s) => taken.has(s))).toBe('triage-3');
	});
});
