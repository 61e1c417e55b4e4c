import { parse } from 'csv-parse/sync';
import { criterionKeys, type CriterionKey } from './evaluation-criteria';

// Case-level evaluation results as reviewers keep them in a spreadsheet:
// case_id, criterion, result (pass/fail, yes/no, true/false, 1/0), optional note.

export interface EvaluationCase {
	caseId: string;
	criterion: CriterionKey;
	passed: boolean;
	note: string | null;
}

export interface ParsedEvaluationCsv {
	cases: EvaluationCase[];
	criteria: Partial<Record<CriterionKey, { passed: number; total: number }>>;
	errors: { line: number; message: string }[];
}

const verdicts: Record<string, boolean> = {
	pass: true,
	passed: true,
	yes: true,
	true: true,
	'1': true,
	ok: true,
	fail: false,
	failed: false,
	no: false,
	false: false,
	'0': false
};

const headerAliases: Record<string, string> = {
	case: 'case_id',
	case_id: 'case_id',
	caseid: 'case_id',
	id: 'case_id',
	criterion: 'criterion',
	result: 'result',
	pass: 'result',
	passed: 'result',
	outcome: 'result',
	note: 'note',
	reviewer_note: 'note',
	comment: 'note'
};

export function parseEvaluationCsv(text: string): ParsedEvaluationCsv {
	const errors: ParsedEvaluationCsv['errors'] = [];
	let rows: string[][];
	try {
		rows = parse(text.replace(/^\uFEFF/, ''), {
			skip_empty_lines: true,
			relax_column_count: true,
			trim: true
		});
	} catch (error) {
		return {
			cases: [],
			criteria: {},
			errors: [{ line: 1, message: `Not a readable CSV file: ${(error as Error).message}` }]
		};
	}
	const header = (rows[0] ?? []).map(
		(h) => headerAliases[h.toLowerCase().replace(/[\s-]+/g, '_')] ?? h
	);
	const column = (name: string): number => header.indexOf(name);
	for (const required of ['case_id', 'criterion', 'result']) {
		if (column(required) < 0)
			errors.push({ line: 1, message: `The header needs a “${required}” column` });
	}
	if (errors.length) return { cases: [], criteria: {}, errors };

	const cases: EvaluationCase[] = [];
	const seen = new Set<string>();
	rows.slice(1).forEach((row, i) => {
		const line = i + 2;
		const caseId = row[column('case_id')] ?? '';
		const criterion = row[column('criterion')] ?? '';
		const result = (row[column('result')] ?? '').toLowerCase();
		const note = column('note') >= 0 ? row[column('note')] || null : null;
		if (!caseId) return errors.push({ line, message: 'The case id is empty' });
		if (!(criterionKeys as string[]).includes(criterion)) {
			return errors.push({
				line,
				message: `Unknown criterion “${criterion}”; use one of ${criterionKeys.join(', ')}`
			});
		}
		if (!(result in verdicts))
			return errors.push({ line, message: `“${result}” is not pass or fail` });
		const key = `${caseId}\u0000${criterion}`;
		if (seen.has(key))
			return errors.push({ line, message: `Case “${caseId}” is listed twice for ${criterion}` });
		seen.add(key);
		cases.push({ caseId, criterion: criterion as CriterionKey, passed: verdicts[result], note });
	});
	if (cases.length === 0 && errors.length === 0)
		errors.push({ line: 2, message: 'The file has no results' });

	const criteria: ParsedEvaluationCsv['criteria'] = {};
	for (const c of cases) {
		const counts = (criteria[c.criterion] ??= { passed: 0, total: 0 });
		counts.total += 1;
		if (c.passed) counts.passed += 1;
	}
	return { cases, criteria, errors };
}
