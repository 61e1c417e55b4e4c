import { z } from 'zod';

// What the OpenAPI document's parts share: schemas from zod, the common answers, the path
// parameters and the rules several operations state.

export function jsonSchema(schema: z.ZodType, description?: string): Record<string, unknown> {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
		io: 'input',
		target: 'draft-2020-12',
		unrepresentable: 'any'
	}) as Record<string, unknown>;
	void _dialect;
	return description ? { ...rest, description } : rest;
}

export const portfolioSchema = z.object({
	pilots: z.array(
		z.looseObject({
			slug: z.string(),
			name: z.string(),
			stage: z.enum(['draft', 'baseline', 'running', 'decided']),
			primaryMetric: z
				.looseObject({
					key: z.string(),
					verdict: z.string(),
					relativeChange: z
						.object({ estimate: z.number(), ci95: z.tuple([z.number(), z.number()]).nullable() })
						.nullable()
				})
				.nullable(),
			netBenefit: z
				.looseObject({ currency: z.string().nullable(), annual: z.number().nullable() })
				.nullable(),
			recommendation: z.object({ decision: z.string(), reasons: z.array(z.string()) }).nullable(),
			lastDecision: z.looseObject({ decision: z.string(), rationale: z.string() }).nullable()
		})
	)
});

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });

export const problem = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: ref('Problem') } }
});

export const csv = { 'text/csv': { schema: { type: 'string' } } };

export const common = {
	'401': problem('No API key or session, or an unknown key.'),
	'403': problem('The key or user lacks the right on this pilot.'),
	'429': problem(
		'Too many requests with this API key (a token bucket per key: API_RATE_LIMIT per second, API_RATE_BURST at once; 50 and 100 by default), or too many requests with unknown or invalid keys from this address (20 a minute). Wait the seconds of the Retry-After header.'
	)
};
export const onPilot = { ...common, '404': problem('There is no pilot with this slug.') };

/** The refusals of a body that is not JSON, or not sent as JSON. */
export const unreadableJson = {
	'400': problem('The body is not JSON.'),
	'415': problem('The body is not application/json.')
};

export const slug = {
	name: 'slug',
	in: 'path',
	required: true,
	schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
	description: 'The pilot’s slug, as in its page URL /pilots/{slug}.'
};

export const lockRule =
	'Once the pilot has started the plan is locked: changing metrics, windows, time zone, economics, minSamples or evaluation gates needs `"amendment": { "reason": "…" }` (409 without it). The amendment is recorded with who, when and what it replaced, and every impact report lists it. Charter, governance, name and process change freely.';

export const webhookId = {
	name: 'id',
	in: 'path',
	required: true,
	schema: { type: 'integer' },
	description: 'The webhook’s id, as answered by POST /webhooks.'
};

export const webhookRecipe =
	'Each alert is POSTed as JSON with the header `Pilot-Impact-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`. To verify: split the header at commas into t and v1; compute HMAC-SHA256 over the string t + "." + the raw request body (the bytes received, before any JSON parsing) with the secret; compare with v1 in constant time; refuse a t more than 5 minutes from your clock. Deliveries are at least once: deduplicate on `id` (also in the `Pilot-Impact-Delivery` header). A non-2xx answer or no answer within the timeout is retried with exponential backoff for a day; 410 Gone disables the endpoint. `http://` URLs are accepted only for loopback addresses.';
