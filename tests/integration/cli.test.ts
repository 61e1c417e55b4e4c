import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = 'tests/fixtures/cli';
const exec = promisify(execFile);

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

/** Spawns the real bin, as `npx pilot-impact` would. */
async function cli(...args: string[]): Promise<Run> {
	try {
		const { stdout, stderr } = await exec(process.execPath, ['bin/pilot-impact.js', ...args], {
			cwd: root
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}

const analyze = (events: string, ...more: string[]): Promise<Run> =>
	cli(
		'analyze',
		'--plan',
		`${fixtures}/plan.json`,
		'--events',
		`${fixtures}/${events}`,
		'--as-of',
		'2026-10-21T00:00:00+02:00',
		'--evaluation',
		`${fixtures}/evaluation.json`,
		...more
	);

const close = (actual: number, expected: number, tolerance = 1e-9): void => {
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
		tolerance * Math.max(1, Math.abs(expected))
	);
};

// Expected numbers come from an independent computation on tests/fixtures/cli/events.csv:
// numpy 2.4.6 for means, proportions, the ratio's covariance (np.cov, ddof = 1) and type-7
// quantiles (np.quantile's default); Welch's t interval and p-value in 40-digit arithmetic with
// mpmath 1.3.0 (regularized incomplete beta); economics by hand from plan.json.
describe('pilot-impact analyze (CSV fixture)', async () => {
	const run = await analyze('events.csv');
	const report = JSON.parse(run.stdout);
	const metric = (key: string) => report.metrics.find((m: { key: string }) => m.key === key);

	it('exits 0 with a JSON report', () => {
		expect(run.code).toBe(0);
		// NaN would reach the JSON as null: the numbers themselves are walked for finiteness in
		// src/lib/metrics/impact-report.test.ts; this catches NaN in words.
		expect(run.stdout).not.toMatch(/NaN|Infinity/);
		expect(report.pilot).toEqual({
			slug: 'email-triage',
			name: 'Email triage assistant',
			stage: 'running'
		});
		expect(report.generatedAt).toBe('2026-10-20T22:00:00.000Z');
		expect(report.cases).toEqual({
			baseline: { ai: 12, control: 4 },
			pilot: { ai: 10, control: 4 }
		});
		expect(report.pilotDaysElapsed).toBe(20);
	});

	it('handling time: Welch comparison, relative change, verdict, target', () => {
		const m = metric('handling_time');
		expect(m).toMatchObject({ kind: 'mean', direction: 'decrease', role: 'primary' });
		expect(m.baseline).toEqual({ n: 12, value: 14.125, source: 'events' });
		expect(m.pilot).toEqual({ n: 10, value: 10.2 });
		close(m.absoluteChange.estimate, -3.925);
		close(m.absoluteChange.ci95[0], -5.1284992128627485);
		close(m.absoluteChange.ci95[1], -2.721500787137253);
		close(m.absoluteChange.pValue, 1.7737333356138382e-6, 1e-9);
		close(m.absoluteChange.df, 18.629453253052127);
		close(m.relativeChange.estimate, -0.27787610619469033);
		close(m.relativeChange.ci95[0], -0.3477342208175015);
		close(m.relativeChange.ci95[1], -0.20801799157187917);
		expect(m.verdict).toBe('improved');
		expect(m.meetsTarget).toBe(true);
	});

	it('difference in differences against the control cohort', () => {
		const did = metric('handling_time').differenceInDifferences;
		close(did.controlChange, -0.75);
		close(did.change.estimate, -3.175);
		close(did.change.ci95[0], -5.377969451589637);
		close(did.change.ci95[1], -0.9720305484103646);
		expect(did.control).toEqual({ baselineN: 4, pilotN: 4 });
	});

	it('error rate: proportion with p(1 − p) variance, guardrail unclear', () => {
		const m = metric('error_rate');
		expect(m.baseline.value).toBe(0.25);
		expect(m.pilot.value).toBe(0.2);
		close(m.absoluteChange.ci95[0], -0.42125641102775135);
		close(m.absoluteChange.ci95[1], 0.3212564110277514);
		close(m.absoluteChange.pValue, 0.7815115438186927);
		expect(m.verdict).toBe('no_detectable_change');
		expect(m.meetsTarget).toBeNull();
		expect(m.guardrail).toBe('unclear');
	});

	it('cost per resolved: ratio of sums with delta-method variance', () => {
		const m = metric('cost_per_resolved');
		close(m.baseline.value, 3.74);
		close(m.pilot.value, 2.9222222222222225);
		close(m.absoluteChange.ci95[0], -2.250473531180782);
		close(m.absoluteChange.ci95[1], 0.6149179756252272);
		close(m.absoluteChange.pValue, 0.24589873720148403);
		close(m.relativeChange.ci95[0], -0.5435542276577423);
		close(m.relativeChange.ci95[1], 0.1062399079904817);
	});

	it('p90: type-7 point estimates; no interval with 12 cases, and it says why', () => {
		const m = metric('first_response_p90');
		close(m.baseline.value, 60.7);
		close(m.pilot.value, 45.5);
		expect(m.absoluteChange.ci95).toBeNull();
		expect(m.absoluteChange.pValue).toBeNull();
		expect(m.verdict).toBe('insufficient_data');
		expect(m.reasons).toEqual(['quantile_ci_needs_more_cases']);
	});

	it('economics from the plan: 3.925 min × 10 cases at 36 EUR/h × 0.5', () => {
		const e = report.economics;
		expect(e.currency).toBe('EUR');
		close(e.benefitToDate, (3.925 / 60) * 36 * 0.5 * 10);
		close(e.costToDate, 12000 + (900 * 20) / (365.25 / 12) + 0.02 * 10);
		close(e.netToDate, e.benefitToDate - e.costToDate);
		close(e.annualNetBenefit, 12 * 4000 * ((3.925 / 60) * 18 - 0.02) - 12 * 900);
		close(e.roi, (44760 - 12000) / (12000 + 12 * 900 + 12 * 4000 * 0.02));
		close(e.paybackMonths, 12000 / (44760 / 12));
		close(e.hoursSavedToDate.estimate, (3.925 / 60) * 10);
		expect(e.missing).toEqual([]);
	});

	it('evaluation gate, governance and the recommendation', () => {
		expect(report.evaluationGates[0]).toMatchObject({
			criterion: 'correct',
			status: 'passed',
			total: 120
		});
		// Wilson lower bound of 118/120 (z = 1.959964), computed with Python's statistics.NormalDist.
		close(report.evaluationGates[0].wilsonLower, 0.9412640370278411);
		expect(report.governanceMissing).toEqual([]);
		expect(report.recommendation.decision).toBe('keep_measuring');
		expect(report.recommendation.reasons[0]).toMatch(/^Guardrail Error rate is unclear: -0.05/);
	});

	it('the same events as NDJSON give the same report', async () => {
		const ndjson = await analyze('events.ndjson');
		expect(ndjson.code).toBe(0);
		expect(JSON.parse(ndjson.stdout)).toEqual(report);
	});

	it('prints a readable summary with --format text', async () => {
		const text = await analyze('events.csv', '--format', 'text');
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('Handling time (primary, mean, decrease is better): improved');
		expect(text.stdout).toContain('relative -27.8% (95% CI -34.8% to -20.8%)');
		expect(text.stdout).toMatch(
			/judged on: anytime 95% interval -\d+(\.\d+)?% to -\d+(\.\d+)?%, Holm-adjusted for 2 tests/
		);
		expect(text.stdout).toContain('Recommendation: keep measuring');
		expect(text.stdout).not.toMatch(/NaN|Infinity|undefined/);
	});
});

describe('pilot-impact analyze (bad input)', () => {
	it('names each bad row by line number and exits 1', async () => {
		const run = await analyze('bad-events.csv');
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain(
			'line 3 (id bad-1): measures.handling_minutes: "twelve" is not a finite number'
		);
		expect(run.stderr).toContain(
			'line 4 (id bad-2): occurredAt: 2026-12-03T09:00:00+02:00 is outside both'
		);
		expect(run.stderr).toContain(
			'line 5 (id bad-3): measures.error: "error" must be 0 or 1, got 2'
		);
	});

	it('explains an invalid plan with the path of each problem', async () => {
		const run = await cli(
			'analyze',
			'--plan',
			`${fixtures}/bad-plan.json`,
			'--events',
			`${fixtures}/events.csv`
		);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain(
			'metrics.0.denominator: a ratio metric needs a denominator measure'
		);
		expect(run.stderr).toContain('metrics.1.tolerance: a guardrail needs a tolerance');
	});

	it('refuses a plan that is not JSON', async () => {
		const run = await cli(
			'analyze',
			'--plan',
			`${fixtures}/events.csv`,
			'--events',
			`${fixtures}/events.csv`
		);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/plan .*events\.csv: not valid JSON/);
	});

	it('shows usage and exits 2 without the required options', async () => {
		const run = await cli('analyze', '--plan', `${fixtures}/plan.json`);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('--events is required');
		expect(run.stderr).toContain('Usage: pilot-impact analyze');
	});
});
