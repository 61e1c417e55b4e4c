import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';

// POST /api/v1/pilots/{slug}/evaluations (docs/api.md) on the demo pilot whose plan gates
// "correct" at 90% and "sensitive data kept" at 100%.

const key = 'pi_evaluations-test-admin-key-0123456789';
const dir = tempDir();
let server: RunningServer;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'evaluations.db'),
		env: { INIT_API_KEY: key }
	});
});
afterAll(async () => {
	await server.stop();
	dir.remove();
});

const path = '/api/v1/pilots/email-triage-assistant';
const call = (suffix: string, init: RequestInit = {}): Promise<Response> =>
	fetch(`${server.url}${path}${suffix}`, {
		...init,
		headers: {
			authorization: `Bearer ${key}`,
			'content-type': 'application/json',
			...(init.headers as Record<string, string>)
		}
	});
const post = (body: unknown): Promise<Response> =>
	call('/evaluations', { method: 'POST', body: JSON.stringify(body) });

describe('evaluation runs', () => {
	test('the demo pilot passes its gates: they do not decide its recommendation', async () => {
		const report = await (await call('/impact')).json();
		expect(report.evaluationGates.map((g: { status: string }) => g.status)).toEqual([
			'passed',
			'passed'
		]);
		// Its billing segment breaches a guardrail, which decides before the gates do.
		expect(report.recommendation.rule).toBe('guardrail-breached');
	});

	test.each([
		[
			{ name: 'v4', criteria: { correct: { passed: 130, total: 120 } } },
			'criteria.correct.passed',
			'passed cannot exceed total'
		],
		[
			{ name: 'v4', criteria: { politeness: { passed: 1, total: 2 } } },
			'criteria.politeness',
			'Unknown criterion “politeness”'
		],
		[{ name: 'v4', criteria: {} }, 'criteria', 'at least one criterion'],
		[{ name: '', criteria: { correct: { passed: 1, total: 2 } } }, 'name', 'Name the run'],
		[
			{ name: 'v4', criteria: { correct: { passed: 1.5, total: 2 } } },
			'criteria.correct.passed',
			'whole number'
		]
	])('%j is refused with 422 at %s', async (body, errorPath, message) => {
		const before = (await (await call('/evaluations')).json()).runs.length;
		const response = await post(body);
		expect(response.status).toBe(422);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		const problem = await response.json();
		expect(problem.errors).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ path: errorPath, message: expect.stringContaining(message) })
			])
		);
		expect((await (await call('/evaluations')).json()).runs.length).toBe(before);
	});

	test('a run that leaks sensitive data turns the recommendation to "correct", naming the criterion', async () => {
		const response = await post({
			name: 'prompt v4',
			runAt: '2026-10-20T09:00:00+02:00',
			criteria: {
				correct: { passed: 117, total: 120 },
				sensitiveDataKept: { passed: 118, total: 120 }
			}
		});
		expect(response.status).toBe(201);
		expect(await response.json()).toMatchObject({
			name: 'prompt v4',
			runAt: '2026-10-20T07:00:00.000Z'
		});
		const after = await (await call('/impact')).json();
		expect(after.recommendation.decision).toBe('correct');
		expect(
			after.evaluationGates.find((g: { criterion: string }) => g.criterion === 'sensitiveDataKept')
		).toMatchObject({ status: 'failed', total: 120, passRate: 118 / 120 });
		const runs = (await (await call('/evaluations')).json()).runs;
		expect(runs[0].name).toBe('prompt v4');
	});

	test.each(['text/html', ''])(
		'a refusal is problem+json with its errors whatever the caller accepts (%j)',
		async (accept) => {
			// The endpoint throws; the hook answers. SvelteKit alone would send an HTML page.
			const response = await call('/evaluations', {
				method: 'POST',
				body: JSON.stringify({ name: '', criteria: { correct: { passed: 1, total: 2 } } }),
				headers: accept === '' ? {} : { accept }
			});
			expect(response.status).toBe(422);
			expect(response.headers.get('content-type')).toBe('application/problem+json');
			expect(await response.json()).toMatchObject({
				status: 422,
				detail: 'The evaluation run is not valid.',
				errors: [expect.objectContaining({ path: 'name' })]
			});
		}
	);

	test('needs a key with ingest rights on this pilot', async () => {
		const anonymous = await fetch(`${server.url}${path}/evaluations`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}'
		});
		expect(anonymous.status).toBe(401);
		const wrongType = await call('/evaluations', {
			method: 'POST',
			body: 'name=x',
			headers: { 'content-type': 'application/xml' }
		});
		expect(wrongType.status).toBe(415);
	});
});

describe('reviewers’ file upload', () => {
	test('aggregates case results into a run; a broken file is refused with its line numbers and stores nothing', async () => {
		const { signIn } = await import('../support/session');
		const cookie = await signIn(server.url, 'member@demo.pilot-impact.test', 'demo-member-pass');
		const upload = (name: string, csv: string): Promise<Response> => {
			const form = new FormData();
			form.set('name', name);
			form.set('file', new File([csv], 'results.csv', { type: 'text/csv' }));
			return fetch(`${server.url}/pilots/email-triage-assistant/evaluations?/upload`, {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie, origin: server.url, accept: 'text/html' },
				body: form
			});
		};
		const runs = async (): Promise<{ name: string; criteria: Record<string, unknown> }[]> =>
			(await (await call('/evaluations')).json()).runs;
		const before = (await runs()).length;

		const broken = await upload(
			'kb v5',
			'case_id,criterion,result\nt-1,correct,pass\nt-2,politeness,pass\n'
		);
		expect(broken.status).toBe(400);
		expect(await broken.text()).toContain('Line 3: Unknown criterion “politeness”');
		expect((await runs()).length).toBe(before);

		const ok = await upload(
			'kb v5',
			'case_id,criterion,result,note\nt-1,correct,pass,\nt-2,correct,fail,old price\nt-1,tone,yes,\n'
		);
		expect(ok.status).toBe(200);
		const latest = (await runs()).find((r) => r.name === 'kb v5')!;
		expect(latest.criteria).toEqual({
			correct: { passed: 1, total: 2 },
			tone: { passed: 1, total: 1 }
		});
	});
});

describe('a decision recorded on the pilot page', () => {
	test('is stored with the recommendation and the impact report of that moment', async () => {
		const { signIn, client } = await import('../support/session');
		const owner = client(
			server.url,
			await signIn(server.url, 'owner@demo.pilot-impact.test', 'demo-owner-pass')
		);
		const response = await owner.post('/pilots/email-triage-assistant?/stage', {
			action: 'record-decision',
			decision: 'correct',
			rationale: 'Sensitive data leaked in two test cases; fix the redaction before scaling.'
		});
		expect(response.status).toBe(303);
		const [row] = await server.database.query<{
			recommended: string;
			report: string;
			decided_by: string;
		}>(
			"select d.recommended, d.report, d.decided_by from decisions d join pilots p on p.id = d.pilot_id where p.slug = 'email-triage-assistant'"
		);
		expect(row.recommended).toBe('correct');
		expect(JSON.parse(row.report).recommendation.decision).toBe('correct');
		expect(row.decided_by).toBe('Laura Méndez');
	});
});
