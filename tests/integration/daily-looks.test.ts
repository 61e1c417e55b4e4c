import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImpactReport } from '../../src/lib/metrics';
import { seededRandom } from '../../src/lib/metrics/random';
import { impactReportSchema } from '../../src/lib/schemas/report';
import { startServer, tempDir, type RunningServer } from '../support/server';

// The impact report's fields for reading it every day (docs/api.md, additive fields): the
// decision interval each metric is judged on, the planned cases that tune it, the primary
// metric and guardrails per segment, and the baseline's trend and weekday mix.

const key = 'pi_test-admin-key-for-the-daily-looks-tests-0123';
const dir = tempDir();
let server: RunningServer;

beforeAll(async () => {
	server = await startServer({
		databasePath: join(dir.path, 'daily.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: key }
	});
});
afterAll(async () => {
	await server.stop();
	dir.remove();
});

const api = (path: string, body?: unknown) =>
	fetch(`${server.url}/api/v1${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});

const plan = {
	slug: 'billing-triage',
	name: 'Billing triage',
	baselineWindow: { start: '2026-09-01T00:00:00Z', end: '2026-09-21T00:00:00Z' },
	pilotWindow: { start: '2026-09-21T00:00:00Z', end: '2026-10-12T00:00:00Z' },
	plannedPilotCases: 630,
	metrics: [
		{
			key: 'handling_time',
			label: 'Handling time',
			unit: 'min',
			kind: 'mean',
			measure: 'handling_minutes',
			direction: 'decrease',
			role: 'primary',
			target: { relative: -0.1 }
		},
		{
			key: 'error_rate',
			label: 'Errors',
			kind: 'proportion',
			measure: 'error',
			direction: 'decrease',
			role: 'guardrail',
			tolerance: { absolute: 0.02 }
		},
		{ key: 'csat', kind: 'mean', measure: 'csat', direction: 'increase', role: 'secondary' }
	]
};

/** 30 cases a day; handling time −25% in the pilot; billing errors 3% → 15%, others 3%. */
function events(): unknown[] {
	const random = seededRandom(3);
	const segments = ['billing', 'technical', 'account'];
	const out: unknown[] = [];
	for (let d = 0; d < 41; d++) {
		const pilot = d >= 20;
		for (let i = 0; i < 30; i++) {
			const segment = segments[i % 3];
			const errorRate = pilot && segment === 'billing' ? 0.15 : 0.03;
			out.push({
				id: `case-${d}-${i}`,
				occurredAt: new Date(
					Date.parse('2026-09-01T08:00:00Z') + d * 86_400_000 + i * 60_000
				).toISOString(),
				segment,
				measures: {
					handling_minutes: Math.max(0.5, 10 * (pilot ? 0.75 : 1) * (1 + 0.4 * random.normal())),
					error: random.uniform() < errorRate ? 1 : 0,
					csat: Math.min(5, Math.max(1, Math.round(4 + random.normal())))
				}
			});
		}
	}
	return out;
}

describe('the impact report for daily looks', () => {
	test('judges on anytime intervals, breaks down by segment and reads the baseline trend', async () => {
		expect((await api('/pilots', plan)).status).toBe(201);
		const stored = await api('/pilots/billing-triage/events', { events: events() });
		expect(await stored.json()).toEqual({ accepted: 1230, duplicates: 0 });

		const response = await api('/pilots/billing-triage/impact');
		expect(response.status).toBe(200);
		const report = impactReportSchema.parse(await response.json()) as unknown as ImpactReport;
		const [primary, errors, csat] = report.metrics;

		expect(report.plannedPilotCases).toEqual({ cases: 630, source: 'plan' });
		expect(primary.decisionInterval).toMatchObject({
			method: 'confidence_sequence',
			tuningCases: 1230,
			adjustment: 'holm',
			familySize: 2
		});
		// The fixed-horizon interval is kept beside the wider one the verdict is judged on.
		const fixed = primary.absoluteChange!.ci95!;
		const judged = primary.decisionInterval.absoluteChange!.ci95!;
		expect(judged[0]).toBeLessThan(fixed[0]);
		expect(judged[1]).toBeGreaterThan(fixed[1]);
		expect(primary.verdict).toBe('improved');
		expect(csat.decisionInterval.adjustment).toBe('none');

		const errorSegments = report.segments.find((b) => b.metricKey === 'error_rate')!;
		expect(errorSegments.segments.map((s) => s.segment).sort()).toEqual([
			'account',
			'billing',
			'technical'
		]);
		const billing = errorSegments.segments.find((s) => s.segment === 'billing');
		expect(billing).toMatchObject({
			guardrail: 'breached',
			decisionInterval: { adjustment: 'holm', familySize: 3 }
		});
		expect(errors.guardrail).not.toBe('breached');
		expect(report.recommendation.decision).toBe('correct');
		expect(report.recommendation.reasons.join(' ')).toMatch(
			/Errors is breached in segment billing/
		);

		expect(report.baselineDrift!.metricKey).toBe('handling_time');
		expect(report.baselineDrift!.sentences.trend).toMatch(
			/^The baseline (showed no clear trend|was already)/
		);
		expect(report.baselineDrift!.sentences.weekdayMix).toMatch(/weekday mix/);
		expect(report.baselineDrift!.trendReachesTarget).toBe(false);
	});
});
