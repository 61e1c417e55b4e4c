import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { client, signIn, type Client } from '../support/session';

// The report downloads carry the API's numbers; a decision against the recommendation needs
// a rationale of substance, is marked, and keeps the report of its moment.

const dir = tempDir();
const slug = 'email-triage-assistant';
let server: RunningServer;
let member: Client;
let owner: Client;

beforeAll(async () => {
	server = await startServer({ databasePath: join(dir.path, 'downloads.db') });
	member = client(
		server.url,
		await signIn(server.url, 'member@demo.pilot-impact.test', 'demo-member-pass')
	);
	owner = client(
		server.url,
		await signIn(server.url, 'owner@demo.pilot-impact.test', 'demo-owner-pass')
	);
}, 60_000);

afterAll(async () => {
	await server?.stop();
	dir.remove();
});

/** The report without the moment it was generated, which differs between two calls. */
function timeless(report: Record<string, unknown>): Record<string, unknown> {
	return { ...report, generatedAt: null };
}

describe('impact report downloads', () => {
	test('report.json is the API’s impact report, as an attachment', async () => {
		const download = await member.get(`/pilots/${slug}/report.json`);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-disposition')).toMatch(
			new RegExp(`attachment; filename="${slug}-impact-\\d{4}-\\d{2}-\\d{2}\\.json"`)
		);
		const api = await member.get(`/api/v1/pilots/${slug}/impact`);
		expect(api.status).toBe(200);
		expect(timeless(await download.json())).toEqual(timeless(await api.json()));
	});

	test('report.csv: one row per metric with the same numbers, interval, verdict and cases', async () => {
		const report = await (await member.get(`/api/v1/pilots/${slug}/impact`)).json();
		const download = await member.get(`/pilots/${slug}/report.csv`);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const rows = parse(await download.text(), { columns: true }) as Record<string, string>[];
		expect(rows.map((r) => r.metric_key)).toEqual(
			report.metrics.map((m: { key: string }) => m.key)
		);
		for (const [i, metric] of report.metrics.entries()) {
			const row = rows[i];
			expect(row.verdict).toBe(metric.verdict);
			expect(Number(row.baseline_n)).toBe(metric.baseline.n);
			expect(Number(row.pilot_n)).toBe(metric.pilot.n);
			if (metric.absoluteChange?.ci95) {
				expect(Number(row.absolute_ci95_low)).toBe(metric.absoluteChange.ci95[0]);
				expect(Number(row.absolute_ci95_high)).toBe(metric.absoluteChange.ci95[1]);
			} else {
				expect(row.absolute_ci95_low).toBe('');
			}
		}
	});

	test('a pilot without a plan has no report to download', async () => {
		const draft = await owner.get('/pilots/proposal-drafting/report.csv');
		expect([403, 409]).toContain(draft.status);
	});
});

describe('decisions on the pilot page', () => {
	test('an override needs a rationale of substance; it is logged, marked and frozen', async () => {
		const page = await (await owner.get(`/pilots/${slug}`)).text();
		// The demo's billing segment breaches the misrouting guardrail: the recommendation is “correct”.
		expect(page).toContain('The recommendation is “correct”');

		const thin = await owner.post(`/pilots/${slug}?/stage`, {
			action: 'record-decision',
			decision: 'discard',
			rationale: 'We simply do not like it.'
		});
		expect(thin.status).toBe(400);
		const refused = await thin.text();
		expect(refused).toContain('This decision overrides the analysis');
		expect(refused).toContain('at least 8 words');
		expect((await owner.get(`/pilots/${slug}/decisions`)).status).toBe(200);
		expect(await (await owner.get(`/pilots/${slug}/decisions`)).text()).toContain(
			'No decision yet'
		);

		const recorded = await owner.post(`/pilots/${slug}?/stage`, {
			action: 'record-decision',
			decision: 'scale',
			rationale:
				'Support leadership accepts the billing misrouting because billing tickets move to a separate queue next month anyway.'
		});
		expect(recorded.status).toBe(303);

		const log = await (await member.get(`/pilots/${slug}/decisions`)).text();
		expect(log).toContain('Override: recommended correct');
		const id = /\/pilots\/[^/]+\/decisions\/(\d+)/.exec(log)?.[1];
		expect(id).toBeDefined();
		const snapshot = await member.get(`/pilots/${slug}/decisions/${id}`);
		expect(snapshot.status).toBe(200);
		const html = await snapshot.text();
		expect(html).toContain('frozen as it was when the decision was recorded');
		expect(html).toContain('data-decision="correct"');
		expect(html).not.toMatch(/NaN/);
		expect((await member.get(`/pilots/${slug}/decisions/999999`)).status).toBe(404);
		expect((await member.get(`/pilots/${slug}/decisions/abc`)).status).toBe(404);
	});
});
