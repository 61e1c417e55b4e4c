// What is worth telling people, each once per change of state (docs/api.md, "Webhooks").

export const alertTypes = [
	'guardrail.breached',
	'guardrail.recovered',
	'recommendation.changed',
	'gate.failing',
	'data.silent',
	'decision.due'
] as const;
export type AlertType = (typeof alertTypes)[number];

/**
 * Working days without new events before `data.silent`: 2 unless the pilot's owner sets
 * another whole number in this range (the pilot form, `silentDays` in the API).
 */
export const silentDaysRule = { default: 2, min: 1, max: 30 } as const;

/** What a webhook can ask for: the alerts, and the weekly digest (company-wide endpoints). */
export const webhookEvents = [...alertTypes, 'digest.weekly'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** The page an alert links to, under the pilot's page. */
export function alertPath(type: AlertType | 'webhook.test', slug: string): string {
	const base = `/pilots/${encodeURIComponent(slug)}`;
	switch (type) {
		case 'gate.failing':
			return `${base}/evaluations`;
		case 'data.silent':
			return `${base}/data`;
		case 'decision.due':
			return `${base}/decisions`;
		default:
			return base;
	}
}

/** Monday to Friday. */
function isWorkingDay(day: Date): boolean {
	const weekday = day.getUTCDay();
	return weekday !== 0 && weekday !== 6;
}

/**
 * Whole working days (Monday–Friday, UTC days) strictly between the day of `from` and the day
 * of `now`: an event on Friday and a Monday morning make 0, so the weekend never alerts.
 */
export function workingDaysBetween(from: Date, now: Date): number {
	const dayMs = 86_400_000;
	const first = Math.floor(from.getTime() / dayMs) + 1;
	const last = Math.floor(now.getTime() / dayMs) - 1;
	let count = 0;
	for (let day = first; day <= last; day++) if (isWorkingDay(new Date(day * dayMs))) count++;
	return count;
}
