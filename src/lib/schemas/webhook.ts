import { z } from 'zod';
import { alertTypes, webhookEvents } from '../domain/alerts';

// POST /api/v1/webhooks (the contract in docs/api.md): where to send which alerts, for one pilot or
// (admins) every pilot.

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http:// reaches only this machine; anything leaving it must be https://. */
export function webhookUrlProblem(value: string): string | null {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'url must be an absolute URL';
	}
	if (url.username || url.password) return 'url must not carry a user name or password';
	if (url.protocol === 'https:') return null;
	if (url.protocol === 'http:') {
		const host = url.hostname.toLowerCase();
		if (loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)) return null;
		return 'url must use https:// (http:// only for loopback addresses)';
	}
	return 'url must use https://';
}

export const webhookInputSchema = z
	.object({
		url: z
			.string({ error: 'url is required' })
			.trim()
			.max(2000)
			.superRefine((url, ctx) => {
				const problem = webhookUrlProblem(url);
				if (problem) ctx.addIssue({ code: 'custom', message: problem });
			}),
		events: z
			.array(z.enum(webhookEvents, { error: `events are among: ${webhookEvents.join(', ')}` }), {
				error: 'events must be a list of alert types'
			})
			.min(1, { error: 'name at least one event' })
			.transform((events) => [...new Set(events)]),
		pilot: z.string().trim().min(1).max(200).optional(),
		format: z.enum(['json', 'slack']).default('json')
	})
	.strict();

export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const webhookSchema = z.object({
	id: z.number().int(),
	url: z.string(),
	events: z.array(z.enum(webhookEvents)),
	pilot: z.string().nullable(),
	format: z.enum(['json', 'slack']),
	createdAt: z.string(),
	createdBy: z.string(),
	disabledAt: z.string().nullable()
});

export const webhookCreatedSchema = webhookSchema.extend({
	secret: z.string().describe('The signing secret: shown only in this answer.')
});

export const webhookDeliverySchema = z.object({
	id: z.string(),
	type: z.string(),
	status: z.enum(['pending', 'delivered', 'failed']),
	attempts: z.number().int(),
	lastStatus: z.number().int().nullable(),
	lastError: z.string().nullable(),
	createdAt: z.string(),
	nextAttemptAt: z.string(),
	deliveredAt: z.string().nullable()
});

/** The JSON body of each delivery (format `json`). */
export const alertPayloadSchema = z.object({
	id: z.string().describe('The delivery id: the same on every retry, for deduplication.'),
	type: z.enum([...alertTypes, 'webhook.test']),
	createdAt: z.string(),
	pilot: z.object({ slug: z.string(), name: z.string(), url: z.string() }),
	data: z.record(z.string(), z.unknown())
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

/** The JSON body of the weekly digest (company-wide endpoints that ask for `digest.weekly`). */
export const digestPayloadSchema = z.object({
	id: z.string(),
	type: z.literal('digest.weekly'),
	createdAt: z.string(),
	period: z.object({ start: z.string(), end: z.string() }),
	url: z.string().describe('The digest page'),
	data: z.object({
		pilots: z.array(z.record(z.string(), z.unknown())),
		changes: z.array(z.record(z.string(), z.unknown())),
		decisionsDue: z.array(z.record(z.string(), z.unknown()))
	})
});
