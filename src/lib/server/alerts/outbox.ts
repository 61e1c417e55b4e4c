// Longer than most files, on purpose: queueing, sending with retries and backoff, and the delivery
// log share one row and its states; apart, each would restate them.

import { randomUUID } from 'node:crypto';
import { alertPath, type AlertType } from '$lib/domain/alerts';
import type { AlertPayload } from '$lib/schemas/webhook';
import { statement, type Db } from '../db';
import type { AlertRow, WebhookRow } from '../db/schema';
import { decryptSecret } from './secrets';
import { backoffMs, type AlertSettings } from './settings';
import { sign, signatureHeader } from './signature';

// The durable outbox: a delivery row per alert and matching webhook, written in the alert's
// transaction, and a worker that sends what is due. At least once: a delivery is marked sent
// only after the endpoint answered 2xx, so a crash in between sends it again, under the same id.

interface PilotRef {
	id: number;
	slug: string;
	name: string;
}

type Sendable = Pick<AlertRow, 'title' | 'data' | 'createdAt'> & {
	type: AlertType | 'webhook.test';
};

/** The body a webhook receives for an alert, in its format. */
export function payloadFor(
	deliveryId: string,
	alert: Sendable,
	pilot: PilotRef,
	webhook: Pick<WebhookRow, 'format'>,
	origin: string
): string {
	const url = `${origin}${alertPath(alert.type, pilot.slug)}`;
	if (webhook.format === 'slack') {
		// The delivery id in the text and the context, so a receiver can deduplicate retries.
		const text = `${pilot.name}: ${alert.title} (delivery ${deliveryId})`;
		return JSON.stringify({
			text,
			blocks: [
				{
					type: 'section',
					text: { type: 'mrkdwn', text: `*<${url}|${pilot.name}>*\n${alert.title}` }
				},
				{
					type: 'context',
					elements: [
						{ type: 'mrkdwn', text: `${alert.type} · ${alert.createdAt} · id ${deliveryId}` }
					]
				}
			]
		});
	}
	const body: AlertPayload = {
		id: deliveryId,
		type: alert.type,
		createdAt: alert.createdAt,
		pilot: { slug: pilot.slug, name: pilot.name, url },
		data: { title: alert.title, ...alert.data }
	};
	return JSON.stringify(body);
}

function activeWebhooks(db: Db): WebhookRow[] {
	const rows = statement(
		db,
		`SELECT id, pilot_id AS pilotId, url, events, format, secret, created_by AS createdBy,
		        created_at AS createdAt, disabled_at AS disabledAt, deleted_at AS deletedAt
		 FROM webhooks WHERE deleted_at IS NULL AND disabled_at IS NULL`
	).all() as (Omit<WebhookRow, 'events'> & { events: string })[];
	return rows.map((r) => ({ ...r, events: JSON.parse(r.events) as WebhookRow['events'] }));
}

/** Inside the alert's transaction: a delivery for every webhook that wants this alert. */
export function enqueueAlert(
	db: Db,
	alert: AlertRow,
	pilot: PilotRef,
	origin: string,
	now: Date
): number {
	let count = 0;
	for (const webhook of activeWebhooks(db)) {
		if (webhook.pilotId !== null && webhook.pilotId !== pilot.id) continue;
		if (!webhook.events.includes(alert.type)) continue;
		count += insertDelivery(db, webhook, alert.id, alert, pilot, origin, now);
	}
	return count;
}

/** A `webhook.test` delivery ("send test"), through the same outbox. */
export function enqueueTest(
	db: Db,
	webhook: Pick<WebhookRow, 'id' | 'format'>,
	pilot: PilotRef,
	origin: string,
	now: Date
): string {
	const alert: Sendable = {
		type: 'webhook.test',
		title: 'Test delivery: this endpoint receives Pilot Impact alerts',
		data: {},
		createdAt: now.toISOString()
	};
	const id = `dlv_${randomUUID()}`;
	insertDelivery(db, webhook, null, alert, pilot, origin, now, id);
	return id;
}

function insertDelivery(
	db: Db,
	webhook: Pick<WebhookRow, 'id' | 'format'>,
	alertId: number | null,
	alert: Sendable,
	pilot: PilotRef,
	origin: string,
	now: Date,
	id = `dlv_${randomUUID()}`
): number {
	return enqueueBody(
		db,
		webhook.id,
		alertId,
		alert.type,
		id,
		payloadFor(id, alert, pilot, webhook, origin),
		now
	);
}

/** One outbox row with its body fixed now; nothing when this alert already has one for the webhook. */
export function enqueueBody(
	db: Db,
	webhookId: number,
	alertId: number | null,
	type: string,
	id: string,
	payload: string,
	now: Date
): number {
	return statement(
		db,
		`INSERT INTO webhook_deliveries (id, webhook_id, alert_id, type, payload, status, attempts,
		   next_attempt_at, created_at)
		 VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING`
	).run(id, webhookId, alertId, type, payload, now.toISOString(), now.toISOString()).changes;
}

/** The company-wide endpoints that asked for `event` (the digest goes to no pilot's endpoint). */
export function companyWideWebhooks(db: Db, event: string): WebhookRow[] {
	return activeWebhooks(db).filter(
		(w) => w.pilotId === null && (w.events as readonly string[]).includes(event)
	);
}

interface DueRow {
	id: string;
	webhookId: number;
	payload: string;
	attempts: number;
	nextAttemptAt: string;
	createdAt: string;
	url: string;
	secret: string;
	usable: number;
}

export type SendOutcome =
	| { kind: 'delivered'; status: number }
	| { kind: 'gone'; status: 410 }
	| { kind: 'failed'; status: number | null; error: string };

/** One POST of a delivery, signed at the moment it is sent. */
export async function send(
	url: string,
	id: string,
	payload: string,
	secret: string,
	now: Date,
	timeoutMs: number
): Promise<SendOutcome> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutMs),
			headers: {
				'content-type': 'application/json',
				'user-agent': 'Pilot-Impact-Webhooks/1',
				'pilot-impact-delivery': id,
				[signatureHeader]: sign(secret, payload, now)
			},
			body: payload
		});
		await response.body?.cancel();
		if (response.status >= 200 && response.status < 300)
			return { kind: 'delivered', status: response.status };
		if (response.status === 410) return { kind: 'gone', status: 410 };
		return { kind: 'failed', status: response.status, error: `HTTP ${response.status}` };
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause?.code;
		return { kind: 'failed', status: null, error: cause ?? (error as Error).name };
	}
}

/**
 * Sends the deliveries that are due, at most `limit`. Each is claimed first (its next attempt
 * moved past the timeout), so a second instance or an overlapping run never sends it twice at
 * once; a crash mid-send leaves it due again after the claim runs out.
 */
export async function deliverDue(
	db: Db,
	settings: AlertSettings,
	now: Date = new Date(),
	limit = 20
): Promise<number> {
	const due = statement(
		db,
		`SELECT d.id, d.webhook_id AS webhookId, d.payload, d.attempts, d.next_attempt_at AS nextAttemptAt,
		        d.created_at AS createdAt, w.url, w.secret,
		        (w.deleted_at IS NULL AND w.disabled_at IS NULL) AS usable
		 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		 WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`
	).all(now.toISOString(), limit) as DueRow[];
	const claim = statement(
		db,
		`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`
	);
	const lease = new Date(now.getTime() + settings.timeoutMs + 1000).toISOString();
	const claimed = due.filter((row) => {
		if (!row.usable) {
			finish(db, row.id, 'failed', row.attempts, null, 'endpoint deleted or disabled', now);
			return false;
		}
		return claim.run(lease, row.id, row.nextAttemptAt).changes === 1;
	});
	await Promise.all(
		claimed.map(async (row) => {
			let secret: string;
			try {
				secret = decryptSecret(row.secret);
			} catch {
				finish(
					db,
					row.id,
					'failed',
					row.attempts,
					null,
					'the secret cannot be read with this server key',
					now
				);
				return;
			}
			const outcome = await send(
				row.url,
				row.id,
				row.payload,
				secret,
				new Date(),
				settings.timeoutMs
			);
			record(db, row, outcome, settings, new Date());
		})
	);
	return claimed.length;
}

function record(
	db: Db,
	row: DueRow,
	outcome: SendOutcome,
	settings: AlertSettings,
	at: Date
): void {
	const attempts = row.attempts + 1;
	if (outcome.kind === 'delivered') {
		finish(db, row.id, 'delivered', attempts, outcome.status, null, at);
		return;
	}
	if (outcome.kind === 'gone') {
		// 410 Gone: the receiver says the endpoint is no more; stop sending to it at all.
		db.$client.transaction(() => {
			finish(db, row.id, 'failed', attempts, 410, 'HTTP 410: endpoint disabled', at);
			statement(db, 'UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(
				at.toISOString(),
				row.webhookId
			);
		})();
		return;
	}
	const next = at.getTime() + backoffMs(attempts, settings);
	if (next - Date.parse(row.createdAt) > settings.retryForMs) {
		finish(db, row.id, 'failed', attempts, outcome.status, `${outcome.error}; gave up`, at);
		return;
	}
	statement(
		db,
		`UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?
		 WHERE id = ?`
	).run(attempts, outcome.status, outcome.error, new Date(next).toISOString(), row.id);
}

function finish(
	db: Db,
	id: string,
	status: 'delivered' | 'failed',
	attempts: number,
	lastStatus: number | null,
	error: string | null,
	at: Date
): void {
	statement(
		db,
		`UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?,
		   delivered_at = ? WHERE id = ?`
	).run(status, attempts, lastStatus, error, status === 'delivered' ? at.toISOString() : null, id);
}
