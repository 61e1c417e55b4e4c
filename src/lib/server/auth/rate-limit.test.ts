import { describe, expect, test } from 'vitest';
import { Backoff, ConcurrencyCap, FailureLimiter } from './rate-limit';

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

describe('backoff', () => {
	const policy = { free: 3, baseMs: 1000, maxMs: 8000, forgetMs: 60_000 };

	test('free failures, then a wait that doubles with each failure, up to the maximum', () => {
		const backoff = new Backoff(policy);
		for (let i = 0; i < 3; i++) {
			expect(backoff.retryAfter('a', 0)).toBe(0);
			backoff.fail('a', 0);
		}
		const waits: number[] = [];
		let now = 0;
		for (let i = 0; i < 6; i++) {
			const wait = backoff.retryAfter('a', now);
			waits.push(wait);
			now += wait * 1000;
			expect(backoff.retryAfter('a', now)).toBe(0);
			backoff.fail('a', now);
		}
		expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
		expect(backoff.retryAfter('b', now)).toBe(0);
	});

	test('the right attempt always gets through once the wait is over: no lockout', () => {
		const backoff = new Backoff(policy);
		for (let i = 0; i < 50; i++) backoff.fail('a', 0);
		expect(backoff.retryAfter('a', 1)).toBe(8);
		expect(backoff.retryAfter('a', 8000)).toBe(0);
	});

	test('forgive takes back one failure, clear all, and old failures are forgotten', () => {
		const backoff = new Backoff(policy);
		for (let i = 0; i < 3; i++) backoff.fail('a', 0);
		expect(backoff.retryAfter('a', 0)).toBe(1);
		backoff.forgive('a');
		expect(backoff.retryAfter('a', 0)).toBe(0);
		backoff.fail('a', 0);
		backoff.clear('a');
		expect(backoff.retryAfter('a', 0)).toBe(0);
		for (let i = 0; i < 5; i++) backoff.fail('a', 0);
		expect(backoff.retryAfter('a', 60_001)).toBe(0);
	});

	test('failures counted before the check: parallel attempts see each other', () => {
		const backoff = new Backoff(policy);
		const answers = Array.from({ length: 30 }, () => {
			if (backoff.retryAfter('a', 0) > 0) return 429;
			backoff.fail('a', 0);
			return 400;
		});
		expect(answers.filter((a) => a === 400)).toHaveLength(3);
	});
});

describe('concurrency cap', () => {
	test('at most the total at once and at most per key; releasing makes room', () => {
		const cap = new ConcurrencyCap(3, 2);
		const a1 = cap.enter('a');
		const a2 = cap.enter('a');
		expect(a1).not.toBeNull();
		expect(a2).not.toBeNull();
		expect(cap.enter('a')).toBeNull();
		const b1 = cap.enter('b');
		expect(b1).not.toBeNull();
		expect(cap.enter('c')).toBeNull();
		a1!();
		a1!();
		expect(cap.enter('c')).not.toBeNull();
		expect(cap.enter('a')).toBeNull();
		a2!();
		b1!();
		expect(cap.enter('a')).not.toBeNull();
	});
});
