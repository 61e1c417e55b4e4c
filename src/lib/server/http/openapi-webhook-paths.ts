import {
	common,
	json,
	problem,
	ref,
	unreadableJson,
	webhookId,
	webhookRecipe
} from './openapi-parts';

// The webhook operations of the OpenAPI document, and what a registered endpoint receives.

export const webhookPaths = {
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
				...unreadableJson,
				...common,
				'404': problem('There is no pilot with this slug.'),
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
	}
};

export const webhookReceivers = {
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
};
