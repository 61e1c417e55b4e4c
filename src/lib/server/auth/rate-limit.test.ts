import { describe, expect, test } from 'vitest';
import { FailureLimiter } from './rate-limit';

describe('failure limiter', () => {
	test('allows up to the limit within the window, then says how long to wait', () => {
		const limiter = new FailureLimiter(3, 60_000);
		for (let i = 0; i < 3; i++) {
			expect(limiter.retryAfter('a', 1_000 * i)).toBe(0);
			limiter.fail('a', 1_000 * i);
		}
		expect(limiter.retryAfter('a', 3_000)).toBe(57);
		expect(limiter.retryAfter('b', 3_000)).toBe(0);
		expect(limiter.retryAfter('a', 60_001)).toBe(0);
	});

	test('a success clears the key', () => {
		const limiter = new FailureLimiter(1, 60_000);
		limiter.fail('a', 0);
		expect(limiter.retryAfter('a', 1)).toBeGreaterThan(0);
		limiter.clear('a');
		expect(limiter.retryAfter('a', 1)).toBe(0);
	});
});
