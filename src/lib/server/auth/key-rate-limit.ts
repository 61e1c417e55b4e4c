// Per-API-key request limits: a token bucket per key, kept in memory like the sign-in limits
// (one server process serves one SQLite file). A bucket holds `burst` tokens and refills at
// `perSecond`; each request takes one. A bucket lets a client send a quick burst of batches
// (a backlog after an outage) while holding its long-run rate, which a fixed window cannot.

export interface KeyRateLimit {
	/** Sustained requests per second per key; 0 turns the limit off. */
	perSecond: number;
	/** Requests a key may send at once after a quiet spell. */
	burst: number;
}

export const defaultKeyRateLimit: KeyRateLimit = { perSecond: 50, burst: 100 };

interface Bucket {
	tokens: number;
	at: number;
}

export class TokenBuckets {
	private readonly buckets = new Map<string, Bucket>();

	constructor(private readonly limit: KeyRateLimit) {}

	/** Takes a token for this key: 0 when allowed, else the whole seconds until one is free. */
	take(key: string, now: number): number {
		const { perSecond, burst } = this.limit;
		if (perSecond <= 0) return 0;
		const previous = this.buckets.get(key);
		const tokens = previous
			? Math.min(burst, previous.tokens + ((now - previous.at) / 1000) * perSecond)
			: burst;
		if (tokens >= 1) {
			this.buckets.set(key, { tokens: tokens - 1, at: now });
			if (this.buckets.size > 10_000) this.prune(now);
			return 0;
		}
		this.buckets.set(key, { tokens, at: now });
		return Math.max(1, Math.ceil((1 - tokens) / perSecond));
	}

	/** Full buckets carry no information: forget them so the map stays small. */
	private prune(now: number): void {
		const { perSecond, burst } = this.limit;
		for (const [key, bucket] of this.buckets) {
			if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
		}
	}
}

function positiveNumber(value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const parsed = Number(value);
	return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/** API_RATE_LIMIT (requests per second, 0 = off) and API_RATE_BURST, else the defaults. */
export function keyRateLimitFromEnv(env: Record<string, string | undefined>): KeyRateLimit {
	const perSecond = positiveNumber(env.API_RATE_LIMIT, defaultKeyRateLimit.perSecond);
	const burst = positiveNumber(env.API_RATE_BURST, Math.max(defaultKeyRateLimit.burst, perSecond));
	return { perSecond, burst: Math.max(1, burst) };
}
