import { describe, expect, test } from 'vitest';
import { sameSitePath } from './redirect-target';

const origin = 'http://127.0.0.1:3000';

describe('the target after sign-in', () => {
	test.each([
		['/pilots/email-triage-assistant?tab=1', '/pilots/email-triage-assistant?tab=1'],
		['/audit#latest', '/audit#latest'],
		['/', '/'],
		[null, '/'],
		['', '/'],
		// The probe's findings: a tab, a backslash, a line break, a full-width dot.
		['/\t/127.0.0.1:3399/x', '/'],
		['/\t\\127.0.0.1:3399/x', '/'],
		['/\n/evil.example/x', '/'],
		['/\r\n/evil.example', '/'],
		['//evil.example/x', '/'],
		['/\\evil.example', '/'],
		['\\\\evil.example', '/'],
		['https://evil.example', '/'],
		['http://127.0.0.1:3000/pilots', '/'],
		['javascript:alert(1)', '/'],
		['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
		['/evil\uff0eexample', '/evil%EF%BC%8Eexample'],
		['/pilots/a\nb', '/pilots/ab'],
		['/pilots/caf\u00e9', '/pilots/caf%C3%A9'],
		['/ /evil.example', '/%20/evil.example']
	])('%j → %s', (target, expected) => {
		expect(sameSitePath(target, origin)).toBe(expected);
	});

	test('what it answers is always a header-safe path on the site', () => {
		for (const target of ['/\u0000x', '/\u2028x', '/\uff0e\uff0e/x', '/..\\..\\x', '/\t/\t/x']) {
			const path = sameSitePath(target, origin);
			expect(path).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
			expect(new URL(path, origin).origin).toBe(origin);
		}
	});
});
