import { randomUUID } from 'node:crypto';
import { getDb, type Db } from '../db';
import { sqlFirst, sqlRows, sqlRun, transaction } from '../db/statements';
import { portfolio } from '../reports/portfolio';
import { companyWideWebhooks, enqueueBody } from './outbox';

// The weekly digest for leadership: the portfolio's headline numbers, what changed in the
// week (its alerts) and the decisions due. Sent by the app itself at DIGEST_SCHEDULE (default
// Monday 08:00 UTC) through the company-wide webhooks that ask for `digest.weekly`, once per
// period: the period's key is the primary key of `digests`, so a restart, a second instance or
// a second look at the clock never sends it twice.

const DAY_MS = 86_400_000;
const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface DigestSchedule {
	weekday: number;
	minutes: number;
}

/** `"mon 08:00"` (UTC) → a schedule; anything else → the default, Monday 08:00. */
export function parseSchedule(value: string | undefined): DigestSchedule {
	const match = /^(sun|mon|tue|wed|thu|fri|sat)\s+(\d{1,2}):(\d{2})$/i.exec((value ?? '').trim());
	if (!match || Number(match[2]) > 23 || Number(match[3]) > 59) return { weekday: 1, minutes: 480 };
	return {
		weekday: weekdays.indexOf(match[1].toLowerCase()),
		minutes: Number(match[2]) * 60 + Number(match[3])
	};
}

/** The latest scheduled moment at or before `now`: it closes the period the digest covers. */
export function latestDue(schedule: DigestSchedule, now: Date): Date {
	const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
	const shift = (new Date(today).getUTCDay() - schedule.weekday + 7) % 7;
	let due = today - shift * DAY_MS + schedule.minutes * 60_000;
	if (due > now.getTime()) due -= 7 * DAY_MS;
	return new Date(due);
}

export interface Digest {
	period: { start: string; end: string };
	generatedAt: string;
	pilots: {
		slug: string;
		name: string;
		stage: string;
		recommendation: string | null;
		primaryMetric: string | null;
		relativeChange: number | null;
		annualNetBenefit: number | null;
		currency: string | null;
	}[];
	changes: { slug: string; name: string; type: string; title: string; createdAt: string }[];
	decisionsDue: { slug: string; name: string; pilotEnd: string }[];
}

/** The digest of the week that ends at `end`, computed now. */
export async function buildDigest(
	end: Date,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<Digest> {
	const start = new Date(end.getTime() - 7 * DAY_MS);
	const entries = await portfolio(() => true, now, db);
	const changes = await sqlRows<Digest['changes'][number]>(
		db,
		`SELECT p.slug, p.name, a.type, a.title, a.created_at AS "createdAt" FROM alerts a
		 JOIN pilots p ON p.id = a.pilot_id WHERE a.created_at >= ? AND a.created_at < ?
		 ORDER BY a.created_at, a.id`,
		start.toISOString(),
		end.toISOString()
	);
	const due = await sqlRows<Digest['decisionsDue'][number]>(
		db,
		`SELECT slug, name, pilot_end AS "pilotEnd" FROM pilots
		 WHERE stage = 'running' AND pilot_end IS NOT NULL AND pilot_end <= ? ORDER BY pilot_end, id`,
		now.toISOString()
	);
	return {
		period: { start: start.toISOString(), end: end.toISOString() },
		generatedAt: now.toISOString(),
		pilots: entries.map((e) => ({
			slug: e.slug,
			name: e.name,
			stage: e.stage,
			recommendation: e.recommendation?.decision ?? null,
			primaryMetric: e.primaryMetric?.label ?? null,
			relativeChange: e.primaryMetric?.relativeChange?.estimate ?? null,
			annualNetBenefit: e.netBenefit?.annual ?? null,
			currency: e.netBenefit?.currency ?? null
		})),
		changes,
		decisionsDue: due
	};
}

/** The latest digest sent, or `null`. */
export async function latest(db: Db = getDb()): Promise<Digest | null> {
	const row = await sqlFirst<{ content: string }>(
		db,
		'SELECT content FROM digests ORDER BY period DESC LIMIT 1'
	);
	return row ? (JSON.parse(row.content) as Digest) : null;
}

/**
 * Sends the digest of the latest period when it has not been sent: stored and queued to the
 * webhooks in one transaction. Returns the digest when this call sent it.
 */
export async function sendDigestIfDue(
	schedule: DigestSchedule,
	origin: string,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<Digest | null> {
	const end = latestDue(schedule, now);
	const period = end.toISOString();
	if (await sqlFirst(db, 'SELECT 1 AS one FROM digests WHERE period = ?', period)) return null;
	const digest = await buildDigest(end, now, db);
	return transaction(db, async (tx): Promise<Digest | null> => {
		const stored = await sqlRun(
			tx,
			'INSERT INTO digests (period, created_at, content) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
			period,
			now.toISOString(),
			JSON.stringify(digest)
		);
		if (stored === 0) return null;
		for (const webhook of await companyWideWebhooks(tx, 'digest.weekly')) {
			const id = `dlv_${randomUUID()}`;
			await enqueueBody(
				tx,
				webhook.id,
				null,
				'digest.weekly',
				id,
				body(id, digest, webhook.format, origin),
				now
			);
		}
		return digest;
	});
}

function body(id: string, digest: Digest, format: 'json' | 'slack', origin: string): string {
	const url = `${origin}/digest`;
	if (format === 'slack') {
		const lines = [
			`*Weekly digest* (${digest.period.start.slice(0, 10)} – ${digest.period.end.slice(0, 10)})`,
			...digest.pilots.map(
				(p) => `• ${p.name}: ${p.stage}, recommendation ${p.recommendation ?? '—'}`
			),
			`${digest.changes.length} alerts this week; ${digest.decisionsDue.length} decisions due. <${url}|Open the digest>`
		];
		// The delivery id in the text and the context, so a receiver can deduplicate retries.
		return JSON.stringify({
			text: `Weekly digest: ${digest.changes.length} alerts, ${digest.decisionsDue.length} decisions due (delivery ${id})`,
			blocks: [
				{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
				{
					type: 'context',
					elements: [{ type: 'mrkdwn', text: `digest.weekly · ${digest.generatedAt} · id ${id}` }]
				}
			]
		});
	}
	return JSON.stringify({
		id,
		type: 'digest.weekly',
		createdAt: digest.generatedAt,
		period: digest.period,
		url,
		data: { pilots: digest.pilots, changes: digest.changes, decisionsDue: digest.decisionsDue }
	});
}
