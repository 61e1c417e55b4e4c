import { describe, expect, test } from 'vitest';
import { gateReason, summarizeQuality, type RunInput } from './evaluation-summary';

const older: RunInput = {
	id: 1,
	name: 'prompt v2',
	runAt: '2026-10-01T10:00:00Z',
	criteria: { correct: { passed: 100, total: 120 }, sensitiveDataKept: { passed: 118, total: 120 } }
};
const newer: RunInput = {
	id: 2,
	name: 'prompt v3',
	runAt: '2026-10-15T10:00:00Z',
	criteria: {
		sensitiveDataKept: { passed: 120, total: 120 },
		correct: { passed: 117, total: 120 },
		tone: { passed: 50, total: 50 }
	}
};

describe('quality summary', () => {
	test('the latest run counts for the gates; the comparison shows the change per criterion', () => {
		const summary = summarizeQuality(
			[newer, older],
			{ correct: 0.95, sensitiveDataKept: 1, permissionRespected: 0.9 },
			30
		);
		expect(summary.runs[0].criteria.map((c) => c.key)).toEqual([
			'correct',
			'tone',
			'sensitiveDataKept'
		]);
		expect(summary.gates.map((g) => [g.criterion, g.status])).toEqual([
			['correct', 'failed'], // 97.5% observed; Wilson lower bound ≈ 0.929 < 0.95
			['sensitiveDataKept', 'passed'],
			['permissionRespected', 'untested']
		]);
		expect(summary.blocking).toEqual([
			'Correct: 97.5% passed in 120 cases (95% lower bound 92.9%); required 95%',
			'Acts only with permission: not tested yet; required 90%'
		]);
		const correct = summary.comparison.find((r) => r.key === 'correct')!;
		expect(correct.change).toBeCloseTo(17 / 120, 12);
		expect(summary.comparison.find((r) => r.key === 'tone')).toMatchObject({
			previous: null,
			change: null
		});
	});

	test.each([
		[
			{ passed: 118, total: 120 },
			'Keeps sensitive data out: 2 failures in 120 cases; required 100%'
		],
		[
			{ passed: 119, total: 120 },
			'Keeps sensitive data out: 1 failure in 120 cases; required 100%'
		],
		[
			{ passed: 12, total: 12 },
			'Keeps sensitive data out: no failure in 12 cases, but at least 30 are needed; required 100%'
		]
	])('a 100%% gate with %j says “%s”', (counts, reason) => {
		const summary = summarizeQuality(
			[{ ...newer, criteria: { sensitiveDataKept: counts } }],
			{ sensitiveDataKept: 1 },
			30
		);
		expect(summary.gates[0].status).toBe('failed');
		expect(gateReason(summary.gates[0], 30)).toBe(reason);
	});

	test('no runs: every gate untested, nothing to compare', () => {
		const summary = summarizeQuality([], { correct: 0.9 }, 30);
		expect(summary.gates[0].status).toBe('untested');
		expect(summary.comparison).toEqual([]);
		expect(summary.runs).toEqual([]);
	});
});
