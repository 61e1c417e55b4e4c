import { getDb } from '../db';
import { evaluateDirty, tick } from './alerts';
import { parseSchedule, sendDigestIfDue } from './digest';
import { deliverDue } from './outbox';
import { alertSettings, type AlertSettings } from './settings';

// The app sends its own alerts: one loop in the server process evaluates the pilots marked
// dirty, applies the clock rules every `tickMs`, and sends the deliveries that are due. All its
// state is in the database, so a restart (or a crash) picks up where it stopped.

let settings: AlertSettings | null = null;

/** The settings the loop runs with (the app's origin for links, among others). */
export function currentSettings(): AlertSettings {
	settings ??= alertSettings(process.env);
	return settings;
}

export function startAlerts(env: Record<string, string | undefined>): () => void {
	settings = alertSettings(env);
	const config = settings;
	if (!config.enabled) return () => {};
	const schedule = parseSchedule(env.DIGEST_SCHEDULE);
	let stopped = false;
	let running = false;
	let lastTick = 0;
	const round = async (): Promise<void> => {
		if (running || stopped) return;
		running = true;
		try {
			const now = new Date();
			await evaluateDirty(config.origin, now, getDb());
			if (now.getTime() - lastTick >= config.tickMs) {
				lastTick = now.getTime();
				await tick(config.origin, now, getDb());
				await sendDigestIfDue(schedule, config.origin, now, getDb());
			}
			if (!stopped) await deliverDue(getDb(), config, new Date());
		} catch (error) {
			if (!stopped) console.error('Pilot Impact: alerts round failed', error);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(() => void round(), config.pollMs);
	timer.unref();
	void round();
	return () => {
		stopped = true;
		clearInterval(timer);
	};
}
