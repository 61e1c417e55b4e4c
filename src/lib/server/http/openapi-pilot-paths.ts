// Longer than most files, on purpose: one entry per pilot operation of the public API; it is data,
// read top to bottom.

import { OVERRIDE_MIN_CHARACTERS, OVERRIDE_MIN_WORDS } from '$lib/domain/override';
import { MAX_EVENTS, MAX_ROW_ERRORS } from '../ingest/ingest-check';
import { MAX_BODY_BYTES } from '../ingest/ingest-request';
import {
	common,
	csv,
	json,
	lockRule,
	onPilot,
	problem,
	ref,
	slug,
	unreadableJson
} from './openapi-parts';

// The pilot operations of the OpenAPI document: definitions, events, baselines, reports,
// decisions, evaluation runs and downloads.

const storedDefinition = () => ({
	description: 'The stored definition',
	content: json(ref('StoredDefinition'))
});

/** A pilot definition as the body (POST and PUT), with the answers to it. */
const definitionBody = (stored: '200' | '201', refusals: object, conflict: string) => ({
	requestBody: { required: true, content: json(ref('PilotDefinition')) },
	responses: {
		[stored]: storedDefinition(),
		...unreadableJson,
		...refusals,
		'409': problem(conflict),
		'422': problem('The definition is invalid; `errors` lists each field.')
	}
});

export const pilotPaths = {
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
			...definitionBody('201', common, 'The slug (or the name) is taken.')
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
			...definitionBody(
				'200',
				onPilot,
				'The plan is locked and the change carries no amendment reason.'
			)
		},
		patch: {
			operationId: 'updatePilotSettings',
			summary: 'Change the pilot’s settings without replacing its definition (owner)',
			description:
				'`silentDays`: the working days without new events, while the pilot window is open, before the `data.silent` alert (a whole number from 1 to 30; 2 until set). Recorded in the audit log; the alerts apply it within a second. PUT and POST accept the same field; left out of a PUT, it stays as it is.',
			requestBody: { required: true, content: json(ref('PilotSettings')) },
			responses: {
				'200': storedDefinition(),
				...unreadableJson,
				...onPilot,
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
	'/pilots/{slug}/evaluations': {
		parameters: [slug],
		post: {
			operationId: 'recordEvaluationRun',
			summary: 'Record one quality run of the AI on a set of test cases (right ingest)',
			description:
				'Pass counts per criterion; a criterion not tested is absent. The latest run decides the evaluation gates: a gated criterion passes when the lower end of its Wilson 95% interval reaches the threshold (for a threshold of 1, when no case failed in at least `minSamples`); one that fails or was never tested blocks `scale`.',
			requestBody: { required: true, content: json(ref('EvaluationRunInput')) },
			responses: {
				'201': { description: 'The stored run', content: json(ref('EvaluationRun')) },
				...onPilot,
				'415': problem('The body is not application/json.'),
				'422': problem('Invalid run: each failing path is in `errors`.')
			}
		},
		get: {
			operationId: 'listEvaluationRuns',
			summary: 'The pilot’s evaluation runs, newest first (right read)',
			responses: {
				'200': {
					description: 'Its runs',
					content: json({
						type: 'object',
						properties: { runs: { type: 'array', items: ref('EvaluationRun') } },
						required: ['runs']
					})
				},
				...onPilot
			}
		}
	},
	'/me': {
		get: {
			operationId: 'whoAmI',
			summary: 'Who the caller is: lets a script check its API key before it sends data',
			responses: {
				'200': {
					description: 'The API key (its prefix, name, scopes and pilot) or the signed-in user',
					content: json({
						oneOf: [
							{
								type: 'object',
								properties: {
									type: { const: 'api_key' },
									prefix: { type: 'string' },
									name: { type: 'string' },
									scopes: { type: 'array', items: { type: 'string' } },
									pilot: {
										type: ['string', 'null'],
										description: 'the slug of its pilot; null: every pilot'
									}
								},
								required: ['type', 'prefix', 'name', 'scopes', 'pilot']
							},
							{
								type: 'object',
								properties: {
									type: { const: 'user' },
									email: { type: 'string' },
									name: { type: 'string' },
									role: { type: 'string' }
								},
								required: ['type', 'email', 'name', 'role']
							}
						]
					})
				},
				...common
			}
		}
	}
};
