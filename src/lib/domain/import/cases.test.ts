import { describe, expect, test } from 'vitest';
import { CaseReducer, compareKeys, orderKey, type CaseRow, type OrderKey } from './cases';

function row(
	line: number,
	id: string,
	key: OrderKey,
	measures: Record<string, number>,
	extra: Partial<{ segment: string; at: string }> = {}
): CaseRow<null> {
	const event = {
		id,
		occurredAt: extra.at ?? `2026-10-0${line}T09:00:00.000Z`,
		measures,
		...(extra.segment ? { segment: extra.segment } : {})
	};
	return { line, event, key, extra: null };
}

// An incident log: INC1 is updated three times, its rows out of order in the file; INC2 once.
const log = (): CaseRow<null>[] => [
	row(2, 'INC1', 2, { made_sla: 1, reassignments: 1 }, { segment: 'Desk' }),
	row(3, 'INC2', 1, { made_sla: 1, reassignments: 0 }),
	row(4, 'INC1', 1, { made_sla: 1, reassignments: 0 }, { segment: 'Desk' }),
	row(5, 'INC1', 3, { reassignments: 2 }, { segment: 'Network' })
];

function reduce(rule: 'first' | 'last' | 'combine'): {
	cases: (CaseRow<null> & { rows: number })[];
	leftOut: number[];
} {
	const leftOut: number[] = [];
	const reducer = new CaseReducer<null>(rule, (r) => leftOut.push(r.line));
	for (const r of log()) reducer.add(r);
	return { cases: [...reducer.cases()], leftOut: leftOut.sort() };
}

describe('CaseReducer', () => {
	test('last: the latest row of each case by the order column, the others left out', () => {
		const { cases, leftOut } = reduce('last');
		expect(cases.map((c) => [c.event.id, c.line, c.rows])).toEqual([
			['INC1', 5, 3],
			['INC2', 3, 1]
		]);
		expect(cases[0].event.measures).toEqual({ reassignments: 2 });
		expect(leftOut).toEqual([2, 4]);
	});

	test('first: the earliest row by the order column, not by the line', () => {
		const { cases, leftOut } = reduce('first');
		expect(cases.map((c) => [c.event.id, c.line])).toEqual([
			['INC1', 4],
			['INC2', 3]
		]);
		expect(leftOut).toEqual([2, 5]);
	});

	test('combine: the first row’s time, each measure’s latest observed value', () => {
		const { cases, leftOut } = reduce('combine');
		expect(leftOut).toEqual([]);
		expect(cases[0]).toMatchObject({ line: 4, rows: 3 });
		expect(cases[0].event).toEqual({
			id: 'INC1',
			occurredAt: '2026-10-04T09:00:00.000Z',
			// made_sla is missing from the last row: the value before it stands.
			measures: { made_sla: 1, reassignments: 2 },
			segment: 'Network'
		});
	});

	test('without an order column (equal keys) the line decides', () => {
		const reducer = new CaseReducer<null>('last');
		reducer.add(row(2, 'A', '', { x: 1 }));
		reducer.add(row(3, 'A', '', { x: 2 }));
		expect(reducer.keptLine('A')).toBe(3);
		expect([...reducer.cases()][0].event.measures).toEqual({ x: 2 });
	});
});

describe('order keys', () => {
	test.each([
		['17', 17],
		['2026-10-03 09:00', Date.UTC(2026, 9, 3, 9)],
		['03/10/26 09:00', Date.UTC(2026, 9, 3, 9)],
		['', ''],
		['b7', 'b7']
	])('%j → %j', (cell, key) => {
		expect(orderKey(cell, 'UTC', 'dmy', '.')).toBe(key);
	});

	test('numbers by value (9 before 10), empty first, text last', () => {
		const keys: OrderKey[] = ['b', 10, '', 9, 'a'];
		expect(keys.sort(compareKeys)).toEqual(['', 9, 10, 'a', 'b']);
	});
});
