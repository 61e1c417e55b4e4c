import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
	test(
		'stores a PHC scrypt string at OWASP cost, salted, and verifies it',
		{ timeout: 20_000 },
		async () => {
			const hash = await hashPassword('correct horse battery');
			// OWASP Password Storage Cheat Sheet: scrypt N = 2^17 (ln = 17), r = 8, p = 1
			expect(hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
			expect(hash).not.toContain('correct');
			expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
			expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
			expect(await hashPassword('correct horse battery')).not.toBe(hash);
		}
	);

	test(
		'verifies hashes made at another cost, so the cost can be raised later',
		{ timeout: 20_000 },
		async () => {
			// Made with ln=14 by this same scheme: old hashes keep working after a raise.
			const cheap = '$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$';
			const { scryptSync } = await import('node:crypto');
			const key = scryptSync(
				'old password',
				Buffer.from('c2FsdHNhbHRzYWx0c2FsdA', 'base64url'),
				32,
				{
					N: 2 ** 14,
					r: 8,
					p: 1
				}
			);
			expect(await verifyPassword(cheap + key.toString('base64url'), 'old password')).toBe(true);
		}
	);

	test('a malformed hash never verifies', async () => {
		expect(await verifyPassword('plain-text', 'plain-text')).toBe(false);
		expect(await verifyPassword('$argon2id$v=19$m=1,t=1,p=1$x$y', 'x')).toBe(false);
	});
});
