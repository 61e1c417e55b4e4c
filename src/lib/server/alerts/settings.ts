// How often the alerts look and how deliveries are retried; every value can be set in the
// environment (tests make them short). Defaults: a change is evaluated within a second, the
// clock rules (silence, window end) are looked at every minute, and a failing endpoint is
// retried after 30 s, 1 min, 2 min… at most hourly, for a day.

export interface AlertSettings {
	enabled: boolean;
	/** The app's public address, for links in alerts. */
	origin: string;
	pollMs: number;
	tickMs: number;
	timeoutMs: number;
	retryBaseMs: number;
	retryMaxMs: number;
	retryForMs: number;
}

function positive(value: string | undefined, fallback: number): number {
	const n = Number(value);
	return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function alertSettings(env: Record<string, string | undefined>): AlertSettings {
	return {
		enabled: env.ALERTS !== 'off',
		origin: (env.ORIGIN || 'http://localhost:3000').replace(/\/+$/, ''),
		pollMs: positive(env.ALERTS_POLL_MS, 1000),
		tickMs: positive(env.ALERTS_TICK_MS, 60_000),
		timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000),
		retryBaseMs: positive(env.WEBHOOK_RETRY_BASE_MS, 30_000),
		retryMaxMs: positive(env.WEBHOOK_RETRY_MAX_MS, 3_600_000),
		retryForMs: positive(env.WEBHOOK_RETRY_FOR_MS, 86_400_000)
	};
}

/** The wait before attempt `attempts + 1`: doubling from the base, capped. */
export function backoffMs(attempts: number, settings: AlertSettings): number {
	return Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempts - 1), settings.retryMaxMs);
}
