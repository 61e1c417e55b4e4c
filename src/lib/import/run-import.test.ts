import { describe, expect, test } from 'vitest';
import { importMappingSchema, type RowsPerCase } from '$lib/schemas/import-mapping';
import type { ImportBatchResult } from '$lib/schemas/import-batch';
import { KEPT_REJECTIONS, runImport, type ImportSummary, type PostBatch } from './run-import';

// The browser half of an import, against a stand-in server: an event log of 12,000 rows
// (3,000 cases of four rows each, their updates out of order, so the file spans three batches)
// is checked and then imported, and both must count alike, every row in exactly one count.

const CASES = 3_000;
const header = 'number,seq,opened_at,made_sla,reassignments\n';

function eventLog(): string {
	const lines: string[] = [];
	// Updates 0..3 of each case, written 2, 0, 3, 1 and the cases interleaved.
	for (const seq of [2, 0, 3, 1]) {
		for (let c = 0; c < CASES; c++) {
			const day = String(1 + (c % 28)).padStart(2, '0');
			const sla = seq === 3 && c % 4 === 0 ? 'false' : 'true';
			lines.push(`INC${c},${seq},2026-09-${day} 09:00,${sla},${seq}`);
		}
	}
	return header + lines.join('\n') + '\n';
}

/** Stores events by id; refuses ids ending in 7 as "outside the windows". */
function server(): { post: PostBatch; stored: Map<string, string> } {
	const stored = new Map<string, string>();
	const post: PostBatch = async (_url, body) => {
		const batch = JSON.parse(body) as {
			mode: 'check' | 'store';
			rows: { line: number; event: { id: string } }[];
		};
		const result: ImportBatchResult = { accepted: 0, duplicates: 0, rejected: [], sample: [] };
		for (const { line, event } of batch.rows) {
			const content = JSON.stringify(event);
			const before = stored.get(event.id);
			if (event.id.endsWith('7')) {
				result.rejected.push({ line, id: event.id, reason: 'outside both windows' });
			} else if (before === undefined) {
				result.accepted++;
				if (batch.mode === 'store') stored.set(event.id, content);
			} else if (before === content) result.duplicates++;
			else result.rejected.push({ line, id: event.id, reason: 'already stored, different' });
		}
		return result;
	};
	return { post, stored };
}

async function run(
	rowsPerCase: RowsPerCase,
	mode: 'check' | 'store',
	post: PostBatch
): Promise<ImportSummary> {
	const mapping = importMappingSchema.parse({
		id: 'number',
		occurredAt: 'opened_at',
		timezone: 'UTC',
		rowsPerCase,
		orderBy: rowsPerCase === 'one' ? null : 'seq',
		measures: [
			{ measure: 'made_sla', source: { kind: 'boolean', column: 'made_sla' } },
			{ measure: 'reassignments', source: { kind: 'number', column: 'reassignments' } }
		]
	});
	const shape = {
		encoding: 'utf-8' as const,
		delimiter: ',',
		hasHeader: true,
		columns: header.trim().split(',')
	};
	const file = new Blob([eventLog()]);
	return runImport(file, shape, mapping, mode, '/import', () => undefined, undefined, post);
}

const counts = (s: ImportSummary): number[] => [
	s.accepted,
	s.duplicates,
	s.rejectedCount,
	s.leftOut,
	s.combined
];
const sum = (s: ImportSummary): number => counts(s).reduce((a, b) => a + b, 0);

/** Imports the whole event log into a fresh server under `rule`. */
async function importAll(
	rule: RowsPerCase
): Promise<{ imported: ImportSummary; storedEvent: (id: string) => unknown }> {
	const { post, stored } = server();
	const imported = await run(rule, 'store', post);
	return { imported, storedEvent: (id) => JSON.parse(stored.get(id) ?? 'null') };
}

/** The measures of update 3 of a case whose number is a multiple of 4 (see eventLog). */
const update3 = { measures: { made_sla: 0, reassignments: 3 } };

describe('runImport', () => {
	const refused = CASES / 10; // ids ending in 7

	test.each(['one', 'first', 'last', 'combine'] as const)(
		'%s: the check counts what the import then does, every row once',
		async (rule) => {
			const { post, stored } = server();
			const checked = await run(rule, 'check', post);
			const imported = await run(rule, 'store', post);
			expect(counts(imported)).toEqual(counts(checked));
			expect(sum(checked)).toBe(4 * CASES);
			expect(checked.rows).toBe(4 * CASES);
			expect(checked.cases).toBe(CASES);
			expect(checked.accepted).toBe(CASES - refused);
			expect(stored.size).toBe(CASES - refused);
			// The list of rows not imported is bounded; the counts are not.
			expect(checked.rejected.length).toBe(
				Math.min(KEPT_REJECTIONS, checked.rejectedCount + checked.leftOut)
			);
			// A second import of the same file changes nothing.
			const again = await run(rule, 'store', post);
			expect(counts(again)).toEqual([0, checked.accepted, ...counts(checked).slice(2)]);
		}
	);

	test('last: each case’s update 3 is imported, the other rows named with the kept line', async () => {
		const { imported, storedEvent } = await importAll('last');
		expect(imported.leftOut).toBe(3 * CASES);
		expect(storedEvent('INC0')).toMatchObject(update3);
		// INC0's update 3 is the third block of the file: line 2 + 2 × CASES.
		const kept = 2 + 2 * CASES;
		const first = imported.rejected.find((r) => r.id === 'INC0');
		expect(first?.reason).toBe(
			`another row of case INC0 is imported: line ${kept}, its last row by seq`
		);
		expect(first?.text).toMatch(/^INC0,\d,2026-09-01 09:00,/);
	});

	test('one: repeated ids are rejected with the line they repeat', async () => {
		const { post } = server();
		const checked = await run('one', 'check', post);
		expect(checked.repeatedIds).toBe(3 * CASES);
		const repeat = checked.rejected.find((r) => r.id === 'INC0');
		expect(repeat?.reason).toContain('the case id of line 2 again');
	});

	test('combine: one event per case, the latest value of each measure', async () => {
		const { imported, storedEvent } = await importAll('combine');
		expect(imported.combined).toBe(3 * CASES);
		expect(storedEvent('INC4')).toMatchObject(update3);
	});
});
