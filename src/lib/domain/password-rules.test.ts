import { describe, expect, test } from 'vitest';
import { newPasswordProblem, passwordProblem } from './password-rules';

describe('a new password', () => {
	test.each([
		['one repeated character', 'aaaaaaaa', /different characters/],
		['eight spaces', '        ', /more than spaces/],
		['spaces and tabs', ' \t \t \t \t ', /more than spaces/],
		['two characters repeated', 'abababababab', /different characters/],
		['three characters repeated', 'xyzxyzxyz', /different characters/],
		['too short', 'a1b2', /at least 8/],
		['common', 'password', /too common/]
	])('is refused when %s', (_name, password, message) => {
		expect(newPasswordProblem(password)).toMatch(message);
	});

	test.each(['correct horse battery', 'demo-owner-pass', 'Tr0ub4dor&3'])(
		'accepts %s',
		(password) => {
			expect(newPasswordProblem(password)).toBeNull();
		}
	);
});

describe('password rules', () => {
	test.each([
		['short', 'Use at least 8 characters'],
		['1234567', 'Use at least 8 characters'],
		['password', 'This password is too common; choose another'],
		['PASSWORD1', 'This password is too common; choose another'],
		['qwerty123', 'This password is too common; choose another'],
		['x'.repeat(257), 'Use at most 256 characters'],
		['correct horse battery', null],
		['demo-owner-pass', null]
	])('%j → %j', (password, problem) => {
		expect(passwordProblem(password)).toBe(problem);
	});
});
