import { decisionSchema } from '$lib/schemas/decision';
import { evaluationRunSchema } from '$lib/schemas/evaluation';
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
import { common, jsonSchema, json, portfolioSchema, ref } from './openapi-parts';
import { pilotPaths } from './openapi-pilot-paths';
import { webhookPaths, webhookReceivers } from './openapi-webhook-paths';

// The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the endpoints
// validate with (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Cross-field rules
// (exactly one primary metric, a ratio's two measures…) are stated in the descriptions.

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
			...pilotPaths,
			...webhookPaths,
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
		webhooks: webhookReceivers,
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
				EvaluationRunInput: jsonSchema(evaluationRunSchema),
				EvaluationRun: {
					type: 'object',
					properties: {
						id: { type: 'integer' },
						name: { type: 'string' },
						runAt: { type: 'string', format: 'date-time' },
						criteria: {
							type: 'object',
							additionalProperties: {
								type: 'object',
								properties: { passed: { type: 'integer' }, total: { type: 'integer' } }
							}
						},
						source: { enum: ['api', 'form', 'file'] }
					},
					required: ['id', 'name', 'runAt', 'criteria', 'source']
				},
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
