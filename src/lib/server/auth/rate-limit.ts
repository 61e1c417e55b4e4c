// Limiters kept in memory: enough for one server process, which is how Pilot Impact runs (one
// SQLite file, one process). Keys are bounded in number: beyond 10,000 the stale ones go.

const maxKeys = 10_000;

/** A sliding window: at most `limit` failures per key in `windowMs`. */
export class FailureLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	/** Seconds until another attempt is allowed for this key, or 0 when it is allowed now. */
	retryAfter(key: string, now: number): number {
		const recent = this.recent(key, now);
		if (recent.length < this.limit) return 0;
		return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
	}

	fail(key: string, now: number): void {
		const recent = this.recent(key, now);
		recent.push(now);
		this.failures.set(key, recent);
		if (this.failures.size > maxKeys) this.prune(now);
	}

	clear(key: string): void {
		this.failures.delete(key);
	}

	private recent(key: string, now: number): number[] {
		return (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
	}

	private prune(now: number): void {
		for (const [key, times] of this.failures) {
			if (times.every((at) => at <= now - this.windowMs)) this.failures.delete(key);
		}
	}
}

export interface BackoffPolicy {
	/** Failures allowed without any wait. */
	free: number;
	/** The wait after the first failure beyond the free ones; it doubles with each further one. */
	baseMs: number;
	/** The longest wait: failures slow a key down, they never lock it out. */
	maxMs: number;
	/** Failures are forgotten after this long without a new one. */
	forgetMs: number;
}

/**
 * Exponential backoff per key: after `free` failures each further attempt must wait
 * base·2^(failures − free), at most `maxMs`, counted from the last failure. Unlike a lockout,
 * the right answer always gets through once the (bounded) wait is over.
 */
export class Backoff {
	private readonly entries = new Map<string, { failures: number; last: number }>();

	constructor(private readonly policy: BackoffPolicy) {}

	/** Seconds until another attempt is allowed for this key, or 0 when it is allowed now. */
	retryAfter(key: string, now: number): number {
		const entry = this.current(key, now);
		if (!entry || entry.failures < this.policy.free) return 0;
		const wait = Math.min(
			this.policy.baseMs * 2 ** (entry.failures - this.policy.free),
			this.policy.maxMs
		);
		const remaining = entry.last + wait - now;
		return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
	}

	/** Counts an attempt as failed; done before the attempt is checked, so parallel ones count. */
	fail(key: string, now: number): void {
		const entry = this.current(key, now) ?? { failures: 0, last: now };
		entry.failures += 1;
		entry.last = now;
		this.entries.set(key, entry);
		if (this.entries.size > maxKeys) this.prune(now);
	}

	/** Takes back one counted failure (the attempt turned out right). */
	forgive(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		entry.failures -= 1;
		if (entry.failures <= 0) this.entries.delete(key);
	}

	clear(key: string): void {
		this.entries.delete(key);
	}

	private current(key: string, now: number): { failures: number; last: number } | null {
		const entry = this.entries.get(key);
		if (!entry) return null;
		if (now - entry.last > this.policy.forgetMs) {
			this.entries.delete(key);
			return null;
		}
		return entry;
	}

	private prune(now: number): void {
		for (const [key, entry] of this.entries) {
			if (now - entry.last > this.policy.forgetMs) this.entries.delete(key);
		}
	}
}

/**
 * At most `total` tasks at once, and at most `perKey` for one key: what is beyond is refused
 * at once rather than queued, so a burst cannot hold the hashing pool (and its memory).
 */
export class ConcurrencyCap {
	private running = 0;
	private readonly byKey = new Map<string, number>();

	constructor(
		private readonly total: number,
		private readonly perKey: number
	) {}

	/** A release function when there is room for the task, else null. */
	enter(key: string): (() => void) | null {
		const mine = this.byKey.get(key) ?? 0;
		if (this.running >= this.total || mine >= this.perKey) return null;
		this.running += 1;
		this.byKey.set(key, mine + 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.running -= 1;
			const left = (this.byKey.get(key) ?? 1) - 1;
			if (left > 0) this.byKey.set(key, left);
			else this.byKey.delete(key);
		};
	}
}

const minute = 60 * 1000;

/**
 * Sign-in (OWASP's authentication cheat sheet: slow guessing down, do not let others lock an
 * account out). Per account and address: 5 free failures, then a wait of 30 s, 1 min, 2 min…
 * up to 15 min. Per address, whatever the account: 20 free, then the same. Per account from
 * any address (guesses spread over many addresses): 30 free, then 5 s, 10 s… but never more
 * than a minute, so no one can keep an account shut for long. Behind a proxy every user
 * shares its address unless ADDRESS_HEADER names the header with the client's.
 */
export const signInBackoff = {
	byAccountAndAddress: new Backoff({
		free: 5,
		baseMs: 30_000,
		maxMs: 15 * minute,
		forgetMs: 60 * minute
	}),
	byAddress: new Backoff({ free: 20, baseMs: 30_000, maxMs: 15 * minute, forgetMs: 60 * minute }),
	byAccount: new Backoff({ free: 30, baseMs: 5_000, maxMs: minute, forgetMs: 60 * minute })
};

/**
 * scrypt at N = 2^17 takes 128 MiB and a thread of the pool per check: at most 4 checks at
 * once (the pool's size), at most 2 from one address; beyond, 429 at once.
 */
export const passwordChecks = new ConcurrencyCap(4, 2);

/** Requests with an unknown or invalid API key: 20 per address per minute, then 429. */
export const badApiKeysByAddress = new FailureLimiter(20, minute);
