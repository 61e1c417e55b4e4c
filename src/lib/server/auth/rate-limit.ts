// A sliding-window limiter kept in memory: enough for one server process, which is how Pilot
// Impact runs (one SQLite file, one process). Counts failures; success clears the account's.

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
		if (this.failures.size > 10_000) this.prune(now);
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

const fifteenMinutes = 15 * 60 * 1000;
/** OWASP: slow down guessing per account without letting others lock an account for long. */
export const loginFailuresByAccount = new FailureLimiter(5, fifteenMinutes);
export const loginFailuresByAddress = new FailureLimiter(20, fifteenMinutes);
