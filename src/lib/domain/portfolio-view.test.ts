import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../../../tests/support/report-fixture';
import {
	filterRows,
	improvementOf,
	ownersOf,
	portfolioTotals,
	sortRows,
	summariseGuardrails,
	windowProgress,
	type PortfolioRow
} from './portfolio-view';

function row(over: Partial<PortfolioRow> & { slug: string }): PortfolioRow {
	return {
		name: over.slug,
		process: '',
		stage: 'running',
		owner: null,
		readinessGaps: 0,
		quality: 'no_gates',
		days: null,
		primary: null,
		guardrails: { status: 'none', breached: [], unclear: [], count: 0 },
		currency: 'EUR',
		netToDate: null,
		annualNet: null,
		recommendation: null,
		lastDecision: null,
		...over
	};
}

const decided = (decision: 'scale' | 'correct' | 'discard', recommended: string | null = null) => ({
	id: 1,
	decision,
	recommended,
	override: recommended !== null && recommended !== decision,
	decidedAt: '2026-10-20T10:00:00.000Z',
	decidedBy: null
});

describe('portfolio view', () => {
	it('days run and left in the pilot window, end exclusive', () => {
		const window = { start: '2026-10-01T00:00:00+02:00', end: '2026-10-22T00:00:00+02:00' };
		expect(windowProgress(window, new Date('2026-09-20T00:00:00Z'))).toEqual({
			run: 0,
			left: 21,
			total: 21
		});
		expect(windowProgress(window, new Date('2026-10-08T12:00:00+02:00'))).toEqual({
			run: 7,
			left: 14,
			total: 21
		});
		expect(windowProgress(window, new Date('2026-12-01T00:00:00Z'))).toEqual({
			run: 21,
			left: 0,
			total: 21
		});
		expect(windowProgress(null, new Date())).toBeNull();
	});

	it('guardrails: the worst status wins and names the breached ones', async () => {
		const report = await fixtureReport();
		const summary = summariseGuardrails(report.metrics);
		expect(summary.count).toBe(report.metrics.filter((m) => m.role === 'guardrail').length);
		expect(summariseGuardrails([]).status).toBe('none');
		const breached = report.metrics.map((m) =>
			m.role === 'guardrail' ? { ...m, guardrail: 'breached' as const } : m
		);
		expect(summariseGuardrails(breached).status).toBe('breached');
		expect(summariseGuardrails(breached).breached.length).toBe(summary.count);
	});

	it('improvement is signed in the good direction', async () => {
		const report = await fixtureReport();
		const handling = report.metrics.find((m) => m.key === 'handling_time')!;
		expect(handling.direction).toBe('decrease');
		expect(improvementOf(handling)).toBeCloseTo(-handling.relativeChange!.estimate, 12);
		expect(improvementOf(null)).toBeNull();
	});

	it('sorts best first with missing figures last, in either order', () => {
		const rows = [
			row({ slug: 'a', annualNet: { value: 10, ci95: null } }),
			row({ slug: 'b' }),
			row({ slug: 'c', annualNet: { value: 30, ci95: null } }),
			row({ slug: 'd', annualNet: { value: -5, ci95: null } })
		];
		expect(sortRows(rows, 'annual').map((r) => r.slug)).toEqual(['c', 'a', 'd', 'b']);
		expect(sortRows(rows, 'annual', false).map((r) => r.slug)).toEqual(['d', 'a', 'c', 'b']);
		expect(sortRows(rows, 'updated').map((r) => r.slug)).toEqual(['a', 'b', 'c', 'd']);
		const named = [row({ slug: 'x', name: 'beta' }), row({ slug: 'y', name: 'Alpha' })];
		expect(sortRows(named, 'name').map((r) => r.name)).toEqual(['Alpha', 'beta']);
		const days = [
			row({ slug: 'long', days: { run: 1, left: 20, total: 21 } }),
			row({ slug: 'soon', days: { run: 19, left: 2, total: 21 } })
		];
		expect(sortRows(days, 'left').map((r) => r.slug)).toEqual(['soon', 'long']);
	});

	it('filters by stage and owner together; owners listed once', () => {
		const rows = [
			row({ slug: 'a', stage: 'running', owner: 'Laura' }),
			row({ slug: 'b', stage: 'decided', owner: 'Laura' }),
			row({ slug: 'c', stage: 'running', owner: 'Marc' }),
			row({ slug: 'd', stage: 'draft' })
		];
		expect(filterRows(rows, { stage: 'running', owner: 'Laura' }).map((r) => r.slug)).toEqual([
			'a'
		]);
		expect(filterRows(rows, { stage: null, owner: 'Laura' }).map((r) => r.slug)).toEqual([
			'a',
			'b'
		]);
		expect(filterRows(rows, { stage: 'draft', owner: null }).map((r) => r.slug)).toEqual(['d']);
		expect(ownersOf(rows)).toEqual(['Laura', 'Marc']);
	});

	it('totals: counts per decision, scaled benefit with intervals added in quadrature', () => {
		const rows = [
			row({
				slug: 'a',
				lastDecision: decided('scale', 'scale'),
				annualNet: { value: 100, ci95: [70, 130] }
			}),
			row({
				slug: 'b',
				lastDecision: decided('scale', 'correct'),
				annualNet: { value: 50, ci95: [10, 90] }
			}),
			row({ slug: 'c', lastDecision: decided('discard'), annualNet: { value: 999, ci95: null } }),
			row({ slug: 'd', lastDecision: decided('correct') }),
			row({ slug: 'e' })
		];
		const totals = portfolioTotals(rows);
		expect(totals.decided).toEqual({ scale: 2, correct: 1, discard: 1 });
		expect(totals.scaledAnnual).toHaveLength(1);
		const [sum] = totals.scaledAnnual;
		expect(sum.value).toBe(150);
		// sqrt(30² + 40²) = 50
		expect(sum.ci95).toEqual([100, 200]);
		expect(sum.pilots).toBe(2);

		const unknown = portfolioTotals([
			...rows,
			row({ slug: 'f', lastDecision: decided('scale'), annualNet: { value: 5, ci95: null } }),
			row({ slug: 'g', lastDecision: decided('scale') })
		]).scaledAnnual[0];
		expect(unknown.value).toBe(155);
		expect(unknown.ci95).toBeNull();
		expect(unknown.unvalued).toBe(1);
	});
});
