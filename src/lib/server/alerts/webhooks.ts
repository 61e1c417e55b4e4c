import type { WebhookInput } from '$lib/schemas/webhook';
import { record } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { sqlFirst, sqlRows, sqlRun, transaction } from '../db/statements';
import type { WebhookDeliveryRow, WebhookRow } from '../db/schema';
import { enqueueTest } from './outbox';
import { encryptSecret, newSecret } from './secrets';

// Webhook endpoints: registered per pilot by its owners or for every pilot by admins. The
// secret is returned once by `create` and otherwise never leaves the server (nor its logs).

export interface WebhookView {
	id: number;
	url: string;
	events: WebhookRow['events'];
	pilot: string | null;
	format: WebhookRow['format'];
	createdAt: string;
	createdBy: string;
	disabledAt: string | null;
}

interface Row {
	id: number;
	pilot_id: number | null;
	slug: string | null;
	url: string;
	events: string;
	format: WebhookRow['format'];
	secret: string;
	created_by: string;
	created_at: string;
	disabled_at: string | null;
}

const select = `SELECT w.id, w.pilot_id, p.slug, w.url, w.events, w.format, w.secret, w.created_by,
	w.created_at, w.disabled_at FROM webhooks w LEFT JOIN pilots p ON p.id = w.pilot_id
	WHERE w.deleted_at IS NULL`;

function view(row: Row): WebhookView {
	return {
		id: row.id,
		url: row.url,
		events: JSON.parse(row.events) as WebhookRow['events'],
		pilot: row.slug,
		format: row.format,
		createdAt: row.created_at,
		createdBy: row.created_by,
		disabledAt: row.disabled_at
	};
}

export async function create(
	input: WebhookInput,
	pilot: { id: number; slug: string } | null,
	context: Partial<ServiceContext> = {}
): Promise<WebhookView & { secret: string }> {
	const { db, actor, now } = serviceContext(context);
	const secret = newSecret();
	const sealed = encryptSecret(secret);
	return transaction(db, async (tx) => {
		const inserted = await sqlFirst<{ id: number }>(
			tx,
			`INSERT INTO webhooks (pilot_id, url, events, format, secret, created_by, created_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			pilot?.id ?? null,
			input.url,
			JSON.stringify(input.events),
			input.format,
			sealed,
			actor.label,
			now.toISOString()
		);
		const id = inserted!.id;
		const created = (await read(id, tx))!;
		await record(
			actor,
			{
				action: 'webhook.create',
				targetType: 'webhook',
				targetId: id,
				targetLabel: input.url,
				pilotId: pilot?.id ?? null,
				// never the secret
				after: {
					url: created.url,
					events: created.events,
					pilot: created.pilot,
					format: created.format
				}
			},
			now,
			tx
		);
		return { ...created, secret };
	});
}

/** A webhook not deleted; inside a transaction, `db` is its `tx`. */
export async function read(id: number, db: Db = getDb()): Promise<WebhookView | null> {
	const row = await sqlFirst<Row>(db, `${select} AND w.id = ?`, id);
	return row ? view(row) : null;
}

/** The pilot a webhook belongs to (`null`: company-wide), or undefined when there is none. */
export async function scopeOf(
	id: number,
	db: Db = getDb()
): Promise<{ pilotId: number | null } | undefined> {
	const row = await sqlFirst<{ pilot_id: number | null }>(
		db,
		'SELECT pilot_id FROM webhooks WHERE id = ? AND deleted_at IS NULL',
		id
	);
	return row ? { pilotId: row.pilot_id } : undefined;
}

/** Webhooks of these pilots (`null`: all, company-wide ones included). */
export async function list(
	pilotIds: readonly number[] | null,
	db: Db = getDb()
): Promise<WebhookView[]> {
	const rows = await sqlRows<Row>(db, `${select} ORDER BY w.id`);
	if (pilotIds === null) return rows.map(view);
	const allowed = new Set(pilotIds);
	return rows.filter((r) => r.pilot_id !== null && allowed.has(r.pilot_id)).map(view);
}

export async function remove(id: number, context: Partial<ServiceContext> = {}): Promise<boolean> {
	const { db, actor, now } = serviceContext(context);
	return transaction(db, async (tx) => {
		const existing = await read(id, tx);
		const scope = await scopeOf(id, tx);
		if (!existing || !scope) return false;
		const at = now.toISOString();
		await sqlRun(tx, 'UPDATE webhooks SET deleted_at = ? WHERE id = ?', at, id);
		await sqlRun(
			tx,
			`UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted'
			 WHERE webhook_id = ? AND status = 'pending'`,
			id
		);
		await record(
			actor,
			{
				action: 'webhook.delete',
				targetType: 'webhook',
				targetId: id,
				targetLabel: existing.url,
				pilotId: scope.pilotId,
				before: { url: existing.url, events: existing.events, pilot: existing.pilot }
			},
			now,
			tx
		);
		return true;
	});
}

export type DeliveryView = Pick<
	WebhookDeliveryRow,
	| 'id'
	| 'type'
	| 'status'
	| 'attempts'
	| 'lastStatus'
	| 'lastError'
	| 'createdAt'
	| 'nextAttemptAt'
	| 'deliveredAt'
>;

/**
 * The delivery log of a webhook, newest first; deliveries made at the same moment, the later
 * alert's first.
 */
export async function deliveries(
	id: number,
	limit = 50,
	db: Db = getDb()
): Promise<DeliveryView[]> {
	return sqlRows<DeliveryView>(
		db,
		`SELECT id, type, status, attempts, last_status AS "lastStatus", last_error AS "lastError",
		        created_at AS "createdAt", next_attempt_at AS "nextAttemptAt",
		        delivered_at AS "deliveredAt"
		 FROM webhook_deliveries WHERE webhook_id = ?
		 ORDER BY created_at DESC, coalesce(alert_id, 0) DESC, id DESC LIMIT ?`,
		id,
		limit
	);
}

/** Queues a test delivery; it names the webhook's pilot, or a sample one for company-wide webhooks. */
export async function sendTest(
	id: number,
	origin: string,
	context: Partial<ServiceContext> = {}
): Promise<string | null> {
	const { db, actor, now } = serviceContext(context);
	const row = await sqlFirst<Row>(db, `${select} AND w.id = ?`, id);
	if (!row) return null;
	const pilot = row.pilot_id
		? (await sqlFirst<{ id: number; slug: string; name: string }>(
				db,
				'SELECT id, slug, name FROM pilots WHERE id = ?',
				row.pilot_id
			))!
		: { id: 0, slug: 'example', name: 'Example pilot' };
	return transaction(db, async (tx) => {
		const deliveryId = await enqueueTest(tx, { id, format: row.format }, pilot, origin, now);
		await record(
			actor,
			{
				action: 'webhook.test',
				targetType: 'webhook',
				targetId: id,
				targetLabel: row.url,
				pilotId: row.pilot_id
			},
			now,
			tx
		);
		return deliveryId;
	});
}
