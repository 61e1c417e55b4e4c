import { z } from 'zod';
import { decisionSchema } from '$lib/schemas/decision';
import {
	baselineSummarySchema,
	definitionExtrasSchema,
	pilotSettingsSchema
} from '$lib/schemas/definition';
import { eventSchema } from '$lib/schemas/event';
import { planSchema } from '$lib/schemas/plan';
import { impactReportSchema, ingestResultSchema, problemSchema } from '$lib/schemas/report';
import {
	alertPayloadSchema,
	digestPayloadSchema,
	webhookCreatedSchema,
	webhookDeliverySchema,
	webhookInputSchema,
	webhookSchema
} from '$lib/schemas/webhook';
import { OVERRIDE_MIN_CHARACTERS, OVERRIDE_MIN_WORDS } from '$lib/domain/override';
import { MAX_EVENTS, MAX_ROW_ERRORS } from '../ingest/ingest-check';
import { MAX_BODY_BYTES } from '../ingest/ingest-request';

// The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the endpoints
// validate with (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Cross-field rules
// (exactly one primary metric, a ratio's two measures…) are stated in the descriptions.

function jsonSchema(schema: z.ZodType, description?: string): Record<string, unknown> {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
		io: 'input',
		target: 'draft-2020-12',
		unrepresentable: 'any'
	}) as Record<string, unknown>;
	void _dialect;
	return description ? { ...rest, description } : rest;
}

const portfolioSchema = z.object({
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

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

const problem = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: ref('Problem') } }
});

const csv = { 'text/csv': { schema: { type: 'string' } } };

const common = {
	'401': problem('No API key or session, or an unknown key.'),
	'403': problem('The key or user lacks the right on this pilot.'),
	'429': problem(
		'Too many requests with this API key (a token bucket per key: API_RATE_LIMIT per second, API_RATE_BURST at once; 50 and 100 by default), or too many requests with unknown or invalid keys from this address (20 a minute). Wait the seconds of the Retry-After header.'
	)
};
const onPilot = { ...common, '404': problem('There is no pilot with this slug.') };

const slug = {
	name: 'slug',
	in: 'path',
	required: true,
	schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
	description: 'The pilot’s slug, as in its page URL /pilots/{slug}.'
};

const lockRule =
	'Once the pilot has started the plan is locked: changing metrics, windows, time zone, economics, minSamples or evaluation gates needs `"amendment": { "reason": "…" }` (409 without it). The amendment is recorded with who, when and what it replaced, and every impact report lists it. Charter, governance, name and process change freely.';

const webhookId = {
	name: 'id',
	in: 'path',
	required: true,
	schema: { type: 'integer' },
	description: 'The webhook’s id, as answered by POST /webhooks.'
};

const webhookRecipe =
	'Each alert is POSTed as JSON with the header `Pilot-Impact-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`. To verify: split the header at commas into t and v1; compute HMAC-SHA256 over the string t + "." + the raw request body (the bytes received, before any JSON parsing) with the secret; compare with v1 in constant time; refuse a t more than 5 minutes from your clock. Deliveries are at least once: deduplicate on `id` (also in the `Pilot-Impact-Delivery` header). A non-2xx answer or no answer within the timeout is retried with exponential backoff for a day; 410 Gone disables the endpoint. `http://` URLs are accepted only for loopback addresses.';

/** The document; `serverUrl` is the origin the caller reached us at. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Pilot Impact API',
			version: '1',
			license: { name: 'MIT', identifier: 'MIT' },
			description:
				'Send outcome events of an AI pilot and read its impact against the baseline. Every error is application/problem+json (RFC 9457).'
		},
		servers: [{ url: `${serverUrl}/api/v1` }],
		security: [{ apiKey: [] }],
		paths: {
			'/pilots': {
				get: {
					operationId: 'listPilots',
					summary: 'The portfolio: every pilot the caller may read, with headline numbers',
					responses: {
						'200': { description: 'The portfolio', content: json(ref('Portfolio')) },
						...common
					}
				},
				post: {
					operationId: 'createPilot',
					summary: 'Create a pilot from a definition (admin)',
					description: `Only slug, name, the two windows and metrics are required. Windows are ISO 8601 instants with an offset; they are stored in UTC. ${lockRule}`,
					requestBody: { required: true, content: json(ref('PilotDefinition')) },
					responses: {
						'201': { description: 'The stored definition', content: json(ref('StoredDefinition')) },
						'400': problem('The body is not JSON.'),
						...common,
						'409': problem('The slug (or the name) is taken.'),
						'415': problem('The body is not application/json.'),
						'422': problem('The definition is invalid; `errors` lists each field.')
					}
				}
			},
			'/pilots/{slug}': {
				parameters: [slug],
				get: {
					operationId: 'getPilot',
					summary: 'One pilot’s definition, with its lock, amendments and baseline summaries',
					responses: {
						'200': { description: 'The definition', content: json(ref('StoredDefinition')) },
						...onPilot
					}
				},
				put: {
					operationId: 'replacePilot',
					summary: 'Replace the definition (owner)',
					description: `The slug never changes. ${lockRule}`,
					requestBody: { required: true, content: json(ref('PilotDefinition')) },
					responses: {
						'200': { description: 'The stored definition', content: json(ref('StoredDefinition')) },
						'400': problem('The body is not JSON.'),
						...onPilot,
						'409': problem('The plan is locked and the change carries no amendment reason.'),
						'415': problem('The body is not application/json.'),
						'422': problem('The definition is invalid; `errors` lists each field.')
					}
				},
				patch: {
					operationId: 'updatePilotSettings',
					summary: 'Change the pilot’s settings without replacing its definition (owner)',
					description:
						'`silentDays`: the working days without new events, while the pilot window is open, before the `data.silent` alert (a whole number from 1 to 30; 2 until set). Recorded in the audit log; the alerts apply it within a second. PUT and POST accept the same field; left out of a PUT, it stays as it is.',
					requestBody: { required: true, content: json(ref('PilotSettings')) },
					responses: {
						'200': { description: 'The stored definition', content: json(ref('StoredDefinition')) },
						'400': problem('The body is not JSON.'),
						...onPilot,
						'415': problem('The body is not application/json.'),
						'422': problem('A value is invalid or a field unknown; `errors` lists each field.')
					}
				}
			},
			'/pilots/{slug}/events': {
				parameters: [slug],
				post: {
					operationId: 'sendEvents',
					summary: 'Send outcome events (scope ingest)',
					description: [
						'A batch is all or nothing: if any event is invalid nothing is stored and the answer is 422 with the row errors (index = 0-based position in the batch, id, path like `events[3].measures.csat`).',
						`Reading stops after ${MAX_ROW_ERRORS} row errors.`,
						'The event id is the idempotency key: the same id with the same content (same instant, cohort, segment and measures) counts as a duplicate and changes nothing; with other content it is a row error.',
						'The phase follows from the windows ([start, end)); an explicit `phase` must agree; an event outside both windows is a row error. Every measure must be one the plan’s metrics use; measures of proportion metrics are 0 or 1 (true/false accepted).',
						'CSV: a header `id,occurred_at[,phase][,segment][,cohort],<measure>…`; an empty cell is a measure not observed; `true`/`false` are 1/0. NDJSON: one event object per line; empty lines are skipped.',
						`Limits: ${MAX_BODY_BYTES / 1024 / 1024} MiB and ${MAX_EVENTS.toLocaleString('en')} events per request (413 beyond). Bodies are read as streams.`
					].join('\n\n'),
					requestBody: {
						required: true,
						content: {
							'application/json': { schema: ref('EventBatch') },
							'application/x-ndjson': {
								schema: { type: 'string', description: 'One OutcomeEvent as JSON per line' }
							},
							'text/csv': {
								schema: { type: 'string' },
								example:
									'id,occurred_at,segment,handling_minutes,error\nticket-48213,2026-10-03T09:14:00+02:00,billing,7.5,0\n'
							}
						}
					},
					responses: {
						'200': { description: 'Stored', content: json(ref('IngestResult')) },
						'400': problem(
							'A JSON body that does not parse, nests deeper than 64 levels, or is neither { "events": [] } nor an array.'
						),
						...onPilot,
						'409': problem('The pilot has no measurement plan with both windows yet.'),
						'413': problem('More than 10 MiB or 50,000 events.'),
						'415': problem('A content type other than the three above.'),
						'422': problem('Row errors; nothing was stored.'),
						'503': problem(
							'Checking the batch was interrupted; nothing was stored. Send it again after Retry-After seconds.'
						)
					}
				}
			},
			'/pilots/{slug}/baseline/{metricKey}': {
				parameters: [
					slug,
					{ name: 'metricKey', in: 'path', required: true, schema: { type: 'string' } }
				],
				put: {
					operationId: 'putBaselineSummary',
					summary: 'Enter a baseline summary for a metric without baseline events (owner)',
					description:
						'Mean metrics take { n, mean, sd, source }; proportion metrics { n, successes, source }. Baseline-window events, when a metric has them, take precedence. Locked with the plan: after the start it needs `amendment.reason` (409 without).',
					requestBody: { required: true, content: json(ref('BaselineSummary')) },
					responses: {
						'200': {
							description: 'All baseline summaries of the pilot, by metric key',
							content: json({ type: 'object', additionalProperties: ref('BaselineSummary') })
						},
						...common,
						'404': problem('No such pilot, or no such metric in its plan.'),
						'409': problem('No plan yet, or the baseline is locked and no reason was given.'),
						'415': problem('The body is not application/json.'),
						'422': problem('Invalid summary, or a form that does not fit the metric’s kind.')
					}
				}
			},
			'/pilots/{slug}/impact': {
				parameters: [slug],
				get: {
					operationId: 'getImpactReport',
					summary: 'The impact report (scope read)',
					description:
						'Built from per-day sufficient statistics (quantile metrics from their stored values) by the same function as `pilot-impact analyze`. Numbers that cannot be computed are null, never NaN.',
					responses: {
						'200': { description: 'The report', content: json(ref('ImpactReport')) },
						...onPilot,
						'409': problem('The pilot has no measurement plan with both windows yet.')
					}
				}
			},
			'/pilots/{slug}/events.csv': {
				parameters: [
					slug,
					{
						name: 'variant',
						in: 'query',
						required: false,
						schema: { type: 'string', enum: ['round-trip', 'spreadsheet'], default: 'round-trip' },
						description:
							'`round-trip` (default): the events exactly as stored, in the text/csv format this API reads back. `spreadsheet`: ids, segments and cohorts starting with = + - @, a tab or a carriage return are prefixed with an apostrophe, so a spreadsheet does not run them as formulas.'
					}
				],
				get: {
					operationId: 'downloadEvents',
					summary: 'The pilot’s events as CSV (scope read)',
					responses: {
						'200': { description: 'id,occurred_at,segment,cohort,<measure>…', content: csv },
						'400': problem('An unknown variant.'),
						...onPilot
					}
				}
			},
			'/pilots/{slug}/decisions.csv': {
				parameters: [slug],
				get: {
					operationId: 'downloadDecisions',
					summary: 'The pilot’s decision log as CSV (scope read)',
					responses: { '200': { description: 'One row per decision', content: csv }, ...onPilot }
				}
			},
			'/pilots/{slug}/report.csv': {
				parameters: [slug],
				get: {
					operationId: 'downloadReportCsv',
					summary: 'The impact report as CSV, one row per metric (scope read)',
					responses: {
						'200': { description: 'The report', content: csv },
						...onPilot,
						'409': problem('The pilot has no measurement plan with both windows yet.')
					}
				}
			},
			'/pilots/{slug}/report.json': {
				parameters: [slug],
				get: {
					operationId: 'downloadReportJson',
					summary: 'The impact report as a file to download (scope read)',
					responses: {
						'200': { description: 'The report', content: json(ref('ImpactReport')) },
						...onPilot,
						'409': problem('The pilot has no measurement plan with both windows yet.')
					}
				}
			},
			'/audit.csv': {
				get: {
					operationId: 'downloadAuditLog',
					summary: 'The whole audit log as CSV (admin keys; admin and leadership sessions)',
					responses: { '200': { description: 'Oldest first', content: csv }, ...common }
				}
			},
			'/pilots/{slug}/decisions': {
				parameters: [slug],
				post: {
					operationId: 'recordDecision',
					summary: 'Record the decision: scale, correct or discard (right decide)',
					description: `Stored with who, when, the recommendation of the moment and the impact report it was based on; the pilot moves to \`decided\`. A decision other than the recommendation is an override: it needs a rationale of substance, at least ${OVERRIDE_MIN_WORDS} words and ${OVERRIDE_MIN_CHARACTERS} characters (422 without).`,
					requestBody: { required: true, content: json(ref('Decision')) },
					responses: {
						'201': {
							description: 'The recorded decision',
							content: json({
								type: 'object',
								properties: {
									decision: { type: 'string' },
									rationale: { type: 'string' },
									decidedBy: { type: ['string', 'null'] },
									decidedAt: { type: 'string' },
									recommended: { type: ['string', 'null'] },
									override: { type: 'boolean' }
								}
							})
						},
						...onPilot,
						'409': problem('The pilot is not running (already decided, or not started).'),
						'415': problem('The body is not application/json.'),
						'422': problem('Invalid decision, or an override without its rationale.')
					}
				}
			},
			'/webhooks': {
				get: {
					operationId: 'listWebhooks',
					summary: 'The webhook endpoints the caller manages (admins: all; owners: their pilots’)',
					responses: {
						'200': {
							description: 'The endpoints, without their secrets',
							content: json({
								type: 'object',
								properties: { webhooks: { type: 'array', items: ref('Webhook') } }
							})
						},
						...common
					}
				},
				post: {
					operationId: 'createWebhook',
					summary: 'Register an endpoint for alerts (owner of `pilot`; admin without `pilot`)',
					description: webhookRecipe,
					requestBody: { required: true, content: json(ref('WebhookInput')) },
					responses: {
						'201': {
							description: 'The endpoint and its signing secret, shown only in this answer',
							content: json(ref('WebhookCreated'))
						},
						'400': problem('The body is not JSON.'),
						...common,
						'404': problem('There is no pilot with this slug.'),
						'415': problem('The body is not application/json.'),
						'422': problem('Invalid url (https only, http only for loopback) or events.')
					}
				}
			},
			'/webhooks/{id}': {
				parameters: [webhookId],
				get: {
					operationId: 'getWebhook',
					summary: 'One endpoint and its delivery log (newest 50 deliveries)',
					responses: {
						'200': {
							description: 'The endpoint and its deliveries',
							content: json({
								allOf: [
									ref('Webhook'),
									{
										type: 'object',
										properties: { deliveries: { type: 'array', items: ref('WebhookDelivery') } }
									}
								]
							})
						},
						...common,
						'404': problem('No such webhook among those the caller manages.')
					}
				},
				delete: {
					operationId: 'deleteWebhook',
					summary: 'Delete an endpoint; its pending deliveries are dropped',
					responses: {
						'204': { description: 'Deleted' },
						...common,
						'404': problem('No such webhook among those the caller manages.')
					}
				}
			},
			'/webhooks/{id}/test': {
				parameters: [webhookId],
				post: {
					operationId: 'testWebhook',
					summary: 'Queue a `webhook.test` delivery to the endpoint (“send test”)',
					responses: {
						'202': {
							description: 'Queued; its id appears in the delivery log',
							content: json({ type: 'object', properties: { delivery: { type: 'string' } } })
						},
						...common,
						'404': problem('No such webhook among those the caller manages.')
					}
				}
			},
			'/openapi.json': {
				get: {
					operationId: 'getOpenApiDocument',
					summary: 'This document',
					security: [],
					responses: {
						'200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) },
						// Public, but a request that carries an API key counts against its bucket.
						'429': common['429']
					}
				}
			}
		},
		webhooks: {
			digest: {
				post: {
					operationId: 'receiveDigest',
					summary: 'What a company-wide endpoint asking for `digest.weekly` receives each week',
					description: webhookRecipe,
					requestBody: { required: true, content: json(ref('DigestPayload')) },
					responses: { '200': { description: 'Any 2xx marks the delivery sent.' } }
				}
			},
			alert: {
				post: {
					operationId: 'receiveAlert',
					summary: 'What a registered endpoint receives for each alert',
					description: webhookRecipe,
					parameters: [
						{
							name: 'Pilot-Impact-Signature',
							in: 'header',
							required: true,
							schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' }
						},
						{
							name: 'Pilot-Impact-Delivery',
							in: 'header',
							required: true,
							schema: { type: 'string' },
							description: 'The delivery id, as in the body: the same on every retry.'
						}
					],
					requestBody: { required: true, content: json(ref('AlertPayload')) },
					responses: {
						'200': { description: 'Any 2xx marks the delivery sent.' },
						'410': { description: 'Gone: the endpoint is disabled and receives nothing more.' }
					}
				}
			}
		},
		components: {
			securitySchemes: {
				apiKey: {
					type: 'http',
					scheme: 'bearer',
					description:
						'An API key created in the app (Data and API keys), sent as `Authorization: Bearer <key>`; a browser session cookie works too.'
				}
			},
			schemas: {
				PilotDefinition: {
					allOf: [
						jsonSchema(
							planSchema,
							'The measurement plan. Exactly one metric is primary; a measure cannot be named after a property every object has (valueOf, toString, constructor…); a ratio needs numerator and denominator; a quantile is strictly between 0 and 1; a guardrail needs a tolerance; a target is signed in the good direction; the pilot window starts after the baseline window ends.'
						),
						jsonSchema(definitionExtrasSchema)
					]
				},
				StoredDefinition: {
					allOf: [
						ref('PilotDefinition'),
						{
							type: 'object',
							properties: {
								stage: { enum: ['draft', 'baseline', 'running', 'decided'] },
								lockedAt: { type: ['string', 'null'], description: 'when the plan locked' },
								silentDays: {
									type: 'integer',
									description: 'working days without new events before `data.silent`'
								},
								amendments: { type: 'array', items: { type: 'object' } },
								baselineSummaries: { type: 'object' }
							}
						}
					]
				},
				PilotSettings: jsonSchema(pilotSettingsSchema),
				OutcomeEvent: jsonSchema(eventSchema),
				EventBatch: {
					oneOf: [
						{
							type: 'object',
							properties: { events: { type: 'array', items: ref('OutcomeEvent') } },
							required: ['events']
						},
						{ type: 'array', items: ref('OutcomeEvent') }
					]
				},
				IngestResult: jsonSchema(ingestResultSchema),
				BaselineSummary: jsonSchema(baselineSummarySchema),
				ImpactReport: jsonSchema(impactReportSchema),
				Portfolio: jsonSchema(portfolioSchema),
				Problem: jsonSchema(problemSchema),
				Decision: jsonSchema(decisionSchema),
				WebhookInput: jsonSchema(webhookInputSchema),
				Webhook: jsonSchema(webhookSchema),
				WebhookCreated: jsonSchema(webhookCreatedSchema),
				WebhookDelivery: jsonSchema(webhookDeliverySchema),
				DigestPayload: jsonSchema(
					digestPayloadSchema,
					'The weekly digest, sent to company-wide endpoints that ask for `digest.weekly`, once per period (DIGEST_SCHEDULE, default Monday 08:00 UTC); signed like alerts.'
				),
				AlertPayload: jsonSchema(
					alertPayloadSchema,
					'The JSON body of a delivery (format `json`). Format `slack` sends `{ text, blocks }` (a Slack incoming webhook message) with the same headers.'
				)
			}
		}
	};
}
