import { describe, expect, test } from 'vitest';
import { TokenBuckets, keyRateLimitFromEnv } from './key-rate-limit';

describe('token buckets per API key', () => {
	test('a full bucket allows a burst, then one request per refill', () => {
		const buckets = new TokenBuckets({ perSecond: 2, burst: 3 });
		for (let i = 0; i < 3; i++) expect(buckets.take('k', 0)).toBe(0);
		expect(buckets.take('k', 0)).toBe(1);
		expect(buckets.take('other', 0)).toBe(0);
		expect(buckets.take('k', 499)).toBe(1);
		expect(buckets.take('k', 600)).toBe(0);
		expect(buckets.take('k', 600)).toBe(1);
	});

	test('a slow rate asks for a longer wait', () => {
		const buckets = new TokenBuckets({ perSecond: 0.1, burst: 1 });
		expect(buckets.take('k', 0)).toBe(0);
		expect(buckets.take('k', 0)).toBe(10);
		expect(buckets.take('k', 5_000)).toBe(5);
	});

	test('a rate of 0 turns the limit off', () => {
		const buckets = new TokenBuckets({ perSecond: 0, burst: 1 });
		for (let i = 0; i < 1_000; i++) expect(buckets.take('k', 0)).toBe(0);
	});

	test('the environment sets the limit; nonsense falls back to the defaults', () => {
		expect(keyRateLimitFromEnv({})).toEqual({ perSecond: 50, burst: 100 });
		expect(keyRateLimitFromEnv({ API_RATE_LIMIT: '5', API_RATE_BURST: '8' })).toEqual({
			perSecond: 5,
			burst: 8
		});
		expect(keyRateLimitFromEnv({ API_RATE_LIMIT: '500' })).toEqual({ perSecond: 500, burst: 500 });
		expect(keyRateLimitFromEnv({ API_RATE_LIMIT: 'lots', API_RATE_BURST: '-1' })).toEqual({
			perSecond: 50,
			burst: 100
		});
		expect(keyRateLimitFromEnv({ API_RATE_LIMIT: '0' }).perSecond).toBe(0);
	});
});
