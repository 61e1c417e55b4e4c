import { describe, expect, test } from 'vitest';
import { parseEvaluationCsv } from './evaluation-csv';

describe('case-level evaluation CSV', () => {
	test('aggregates pass counts per criterion, accepting the usual spellings', () => {
		const csv =
			'\uFEFFCase ID,Criterion,Result,Reviewer note\n' +
			't-1,correct,pass,\nt-2,correct,FAIL,"wrong price, old list"\nt-3,correct,yes,\n' +
			't-1,sensitiveDataKept,1,\nt-2,sensitiveDataKept,true,\n';
		const parsed = parseEvaluationCsv(csv);
		expect(parsed.errors).toEqual([]);
		expect(parsed.criteria).toEqual({
			correct: { passed: 2, total: 3 },
			sensitiveDataKept: { passed: 2, total: 2 }
		});
		expect(parsed.cases[1]).toEqual({
			caseId: 't-2',
			criterion: 'correct',
			passed: false,
			note: 'wrong price, old list'
		});
	});

	test.each([
		['case_id,criterion\nx,correct\n', 1, 'The header needs a “result” column'],
		['case_id,criterion,result\n,correct,pass\n', 2, 'The case id is empty'],
		['case_id,criterion,result\nx,politeness,pass\n', 2, 'Unknown criterion “politeness”'],
		['case_id,criterion,result\nx,correct,maybe\n', 2, '“maybe” is not pass or fail'],
		[
			'case_id,criterion,result\nx,correct,pass\nx,correct,fail\n',
			3,
			'Case “x” is listed twice for correct'
		],
		['case_id,criterion,result\n', 2, 'The file has no results']
	])('%j → line %i: %s', (csv, line, message) => {
		const { errors } = parseEvaluationCsv(csv);
		expect(errors[0].line).toBe(line);
		expect(errors[0].message).toContain(message);
	});
});
