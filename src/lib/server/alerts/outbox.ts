// Longer than most files, on purpose: queueing, sending with retries and backoff, and the delivery
// log share one row and its states; apart, each would restate them.

import { randomUUID } from 'node:crypto';
import { alertPath, type AlertType } from '$lib/domain/alerts';
import type { AlertPayload } from '$lib/schemas/webhook';
import type { Db } from '../db';
import { sqlRows, sqlRun, transaction } from '../db/statements';
import type { AlertRow, WebhookRow } from '../db/schema';
import { decryptSecret } from './secrets';
import { backoffMs, type AlertSettings } from './settings';
import { sign, signatureHeader } from './signature';

// The durable outbox: a delivery row per alert and matching webhook, written in the alert's
// transaction, and a worker that sends what is due. At least once: a delivery is marked sent
// only after the endpoint answered 2xx, so a crash in between sends it again, under the same id.
// Several app instances may run the worker on one PostgreSQL database: each delivery is claimed
// by one of them, in a write transaction (serialised across instances), before it is sent.

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

async function activeWebhooks(db: Db): Promise<WebhookRow[]> {
	const rows = await sqlRows<Omit<WebhookRow, 'events'> & { events: string }>(
		db,
		`SELECT id, pilot_id AS "pilotId", url, events, format, secret, created_by AS "createdBy",
		        created_at AS "createdAt", disabled_at AS "disabledAt", deleted_at AS "deletedAt"
		 FROM webhooks WHERE deleted_at IS NULL AND disabled_at IS NULL ORDER BY id`
	);
	return rows.map((r) => ({ ...r, events: JSON.parse(r.events) as WebhookRow['events'] }));
}

/** Inside the alert's transaction: a delivery for every webhook that wants this alert. */
export async function enqueueAlert(
	db: Db,
	alert: AlertRow,
	pilot: PilotRef,
	origin: string,
	now: Date
): Promise<number> {
	let count = 0;
	for (const webhook of await activeWebhooks(db)) {
		if (webhook.pilotId !== null && webhook.pilotId !== pilot.id) continue;
		if (!webhook.events.includes(alert.type)) continue;
		count += await insertDelivery(db, webhook, alert.id, alert, pilot, origin, now);
	}
	return count;
}

/** A `webhook.test` delivery ("send test"), through the same outbox. */
export async function enqueueTest(
	db: Db,
	webhook: Pick<WebhookRow, 'id' | 'format'>,
	pilot: PilotRef,
	origin: string,
	now: Date
): Promise<string> {
	const alert: Sendable = {
		type: 'webhook.test',
		title: 'Test delivery: this endpoint receives Pilot Impact alerts',
		data: {},
		createdAt: now.toISOString()
	};
	const id = `dlv_${randomUUID()}`;
	await insertDelivery(db, webhook, null, alert, pilot, origin, now, id);
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
): Promise<number> {
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
): Promise<number> {
	return sqlRun(
		db,
		`INSERT INTO webhook_deliveries (id, webhook_id, alert_id, type, payload, status, attempts,
		   next_attempt_at, created_at)
		 VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING`,
		id,
		webhookId,
		alertId,
		type,
		payload,
		now.toISOString(),
		now.toISOString()
	);
}

/** The company-wide endpoints that asked for `event` (the digest goes to no pilot's endpoint). */
export async function companyWideWebhooks(db: Db, event: string): Promise<WebhookRow[]> {
	return (await activeWebhooks(db)).filter(
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
 * moved past the timeout) in one write transaction with the read that found it due, so a second
 * instance or an overlapping run never sends it twice at once (on PostgreSQL write transactions
 * are serialised across instances); a crash mid-send leaves it due again after the claim runs
 * out. The sends happen after that transaction, each outcome recorded on its own.
 */
export async function deliverDue(
	db: Db,
	settings: AlertSettings,
	now: Date = new Date(),
	limit = 20
): Promise<number> {
	const lease = new Date(now.getTime() + settings.timeoutMs + 1000).toISOString();
	const claimed = await transaction(db, async (tx) => {
		const due = await sqlRows<DueRow>(
			tx,
			`SELECT d.id, d.webhook_id AS "webhookId", d.payload, d.attempts,
			        d.next_attempt_at AS "nextAttemptAt", d.created_at AS "createdAt", w.url, w.secret,
			        CASE WHEN w.deleted_at IS NULL AND w.disabled_at IS NULL THEN 1 ELSE 0 END AS usable
			 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			 WHERE d.status = 'pending' AND d.next_attempt_at <= ?
			 ORDER BY d.next_attempt_at LIMIT ?`,
			now.toISOString(),
			limit
		);
		const mine: DueRow[] = [];
		for (const row of due) {
			if (!row.usable) {
				await finish(tx, row.id, 'failed', row.attempts, null, 'endpoint deleted or disabled', now);
				continue;
			}
			const changed = await sqlRun(
				tx,
				`UPDATE webhook_deliveries SET next_attempt_at = ?
				 WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
				lease,
				row.id,
				row.nextAttemptAt
			);
			if (changed === 1) mine.push(row);
		}
		return mine;
	});
	// No transaction is held while the endpoints answer.
	await Promise.all(
		claimed.map(async (row) => {
			let secret: string;
			try {
				secret = decryptSecret(row.secret);
			} catch {
				await finish(
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
			await record(db, row, outcome, settings, new Date());
		})
	);
	return claimed.length;
}

async function record(
	db: Db,
	row: DueRow,
	outcome: SendOutcome,
	settings: AlertSettings,
	at: Date
): Promise<void> {
	const attempts = row.attempts + 1;
	if (outcome.kind === 'delivered') {
		await finish(db, row.id, 'delivered', attempts, outcome.status, null, at);
		return;
	}
	if (outcome.kind === 'gone') {
		// 410 Gone: the receiver says the endpoint is no more; stop sending to it at all.
		await transaction(db, async (tx) => {
			await finish(tx, row.id, 'failed', attempts, 410, 'HTTP 410: endpoint disabled', at);
			await sqlRun(
				tx,
				'UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL',
				at.toISOString(),
				row.webhookId
			);
		});
		return;
	}
	const next = at.getTime() + backoffMs(attempts, settings);
	if (next - Date.parse(row.createdAt) > settings.retryForMs) {
		await finish(db, row.id, 'failed', attempts, outcome.status, `${outcome.error}; gave up`, at);
		return;
	}
	await sqlRun(
		db,
		`UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?
		 WHERE id = ?`,
		attempts,
		outcome.status,
		outcome.error,
		new Date(next).toISOString(),
		row.id
	);
}

async function finish(
	db: Db,
	id: string,
	status: 'delivered' | 'failed',
	attempts: number,
	lastStatus: number | null,
	error: string | null,
	at: Date
): Promise<void> {
	await sqlRun(
		db,
		`UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?,
		   delivered_at = ? WHERE id = ?`,
		status,
		attempts,
		lastStatus,
		error,
		status === 'delivered' ? at.toISOString() : null,
		id
	);
}
