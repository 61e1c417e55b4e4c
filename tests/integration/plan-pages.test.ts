import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, client, signIn, testAdmin, type Client } from '../support/session';

// The plan and baseline pages over real HTTP on the seeded demo portfolio, as a browser
// without JavaScript would use them.

const dir = tempDir();
let server: RunningServer;
let admin: Client;

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'pages.db'), env: adminEnv });
	admin = client(server.url, await signIn(server.url, testAdmin.email, testAdmin.password));
});

afterAll(async () => {
	await server.stop();
	dir.remove();
});

const metric = (i: number, fields: Record<string, string>): Record<string, string> =>
	Object.fromEntries(Object.entries(fields).map(([k, v]) => [`metrics.${i}.${k}`, v]));

const primary = metric(0, {
	key: 'review_hours',
	kind: 'mean',
	measure: 'review_hours',
	unit: 'h',
	direction: 'decrease',
	role: 'primary',
	targetType: 'relative',
	targetValue: '-25'
});

describe('the plan page', () => {
	test('shows the lock and the plan of a running pilot', async () => {
		const html = await (await admin.get('/pilots/contract-clause-review/plan')).text();
		expect(html).toContain('Locked on 9 Nov 2026');
		expect(html).toContain('value="missed_clauses"');
	});

	test('without JavaScript, "Add a metric" returns the form unsaved with one more blank row', async () => {
		const stored = async (): Promise<unknown> =>
			(await (await admin.get('/api/v1/pilots/proposal-drafting')).json()) as unknown;
		const before = await stored();
		const response = await admin.post('/pilots/proposal-drafting/plan?/addMetric', {
			...primary,
			...metric(1, { key: 'second', kind: 'mean', measure: 'second_measure' }),
			minSamples: '30'
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('value="review_hours"');
		expect(html).toContain('value="second"');
		expect(html).toContain('name="metrics.2.key"');
		expect(html).not.toContain('name="metrics.3.key"');
		expect(html).not.toContain('Plan saved.');
		// Nothing was stored.
		expect(await stored()).toEqual(before);
		expect(JSON.stringify(before)).toContain('"slug":"proposal-drafting"');
	});

	test('teaches: a guardrail without tolerance and a ratio without denominator', async () => {
		const response = await admin.post('/pilots/proposal-drafting/plan?/save', {
			...primary,
			...metric(1, {
				key: 'errors',
				kind: 'proportion',
				measure: 'error',
				direction: 'decrease',
				role: 'guardrail'
			}),
			...metric(2, { key: 'cost', kind: 'ratio', numerator: 'cost_eur', direction: 'decrease' }),
			minSamples: '30'
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('a guardrail needs a tolerance');
		expect(html).toContain('a ratio metric needs a denominator measure');
	});

	test('a locked plan changes only with a reason, which the report then shows', async () => {
		const plan = {
			...primary,
			...metric(1, {
				key: 'missed_clauses',
				kind: 'proportion',
				measure: 'missed_clause',
				direction: 'decrease',
				role: 'guardrail',
				toleranceType: 'absolute',
				toleranceValue: '0.03'
			}),
			minSamples: '30'
		};
		const refused = await admin.post('/pilots/contract-clause-review/plan?/save', plan);
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain('say why it changes');
		const amended = await admin.post('/pilots/contract-clause-review/plan?/save', {
			...plan,
			'amendment.reason': 'Legal agreed a 3-point tolerance after the first review'
		});
		expect(amended.status).toBe(200);
		const html = await (await admin.get('/pilots/contract-clause-review/plan')).text();
		expect(html).toContain('Legal agreed a 3-point tolerance after the first review');
	});
});

describe('the baseline page', () => {
	test('shows where each baseline comes from and a power preview', async () => {
		const html = await (await admin.get('/pilots/internal-faq-answers/baseline')).text();
		expect(html).toMatch(/from 569 cases, 2 Nov – 20 Nov/);
		expect(html).toMatch(/With this baseline, detecting −30% needs about/);
	});

	test('a summary is entered with its source', async () => {
		const plan = {
			...metric(0, {
				key: 'proposal_hours',
				kind: 'mean',
				measure: 'proposal_hours',
				unit: 'h',
				direction: 'decrease',
				role: 'primary',
				targetType: 'relative',
				targetValue: '-40'
			}),
			minSamples: '20'
		};
		expect((await admin.post('/pilots/proposal-drafting/plan?/save', plan)).status).toBe(200);
		const missing = await admin.post('/pilots/proposal-drafting/baseline?/summary', {
			metricKey: 'proposal_hours',
			n: '40',
			mean: '4.5',
			sd: '1.5',
			source: ''
		});
		expect(missing.status).toBe(400);
		expect(await missing.text()).toContain('Say where the numbers come from');
		const saved = await admin.post('/pilots/proposal-drafting/baseline?/summary', {
			metricKey: 'proposal_hours',
			n: '40',
			mean: '4.5',
			sd: '1.5',
			source: 'CRM time tracking, Q3'
		});
		expect(saved.status).toBe(200);
		const html = await (await admin.get('/pilots/proposal-drafting/baseline')).text();
		expect(html).toMatch(/Source:\s+CRM time tracking, Q3/);
	});
});

describe('the API page', () => {
	test('shows curl examples with a pilot of the caller and its own measures', async () => {
		const html = await (await admin.get('/docs/api')).text();
		expect(html).toMatch(
			new RegExp(`curl -X POST ${server.url}/api/v1/pilots/[a-z-]+/events`.replaceAll('/', '\\/'))
		);
		expect(html).toContain('Authorization: Bearer $PILOT_IMPACT_KEY');
		expect(html).not.toContain('/pilots/email-triage/events');
	});
});
