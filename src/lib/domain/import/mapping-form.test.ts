import { describe, expect, test } from 'vitest';
import { importMappingSchema } from '$lib/schemas/import-mapping';
import { distinctValues, mappingInput, rowsFromMapping, baseFromMapping } from './mapping-form';
import { suggestMapping } from './suggest';

const columns = ['Ticket ID', 'Created at', 'First reply at', 'Status', 'csat', 'Group'];
const defaults = { timezone: 'Europe/Madrid', decimalSeparator: ',', dateOrder: 'dmy' } as const;

describe('suggestMapping', () => {
	test('finds the id, the time, a segment and measures named like columns', () => {
		expect(suggestMapping(columns, ['csat', 'resolved'], defaults)).toEqual({
			id: 'Ticket ID',
			occurredAt: 'Created at',
			...defaults,
			segment: 'Group',
			cohort: null,
			measures: [{ measure: 'csat', source: { kind: 'number', column: 'csat' } }]
		});
	});

	test('falls back to the first two columns', () => {
		const suggestion = suggestMapping(['a', 'b'], [], defaults);
		expect([suggestion.id, suggestion.occurredAt]).toEqual(['a', 'b']);
	});
});

describe('the wizard’s rows and the mapping contract', () => {
	const mapping = importMappingSchema.parse({
		id: 'Ticket ID',
		occurredAt: 'Created at',
		timezone: 'UTC',
		segment: 'Group',
		measures: [
			{
				measure: 'first_response_minutes',
				source: { kind: 'duration', start: 'Created at', end: 'First reply at', unit: 'hours' }
			},
			{
				measure: 'resolved',
				source: { kind: 'category', column: 'Status', values: { Solved: 1, Open: null } }
			},
			{ measure: 'csat', source: { kind: 'number', column: 'csat' } }
		]
	});

	test('a saved mapping becomes rows and comes back unchanged', () => {
		const rows = rowsFromMapping(['csat', 'error', 'first_response_minutes', 'resolved'], mapping);
		expect(rows.map((r) => r.kind)).toEqual(['number', 'none', 'duration', 'category']);
		expect(rows[3].values).toEqual({ Solved: '1', Open: '' });
		const back = importMappingSchema.parse(mappingInput(baseFromMapping(mapping), rows));
		expect(back).toEqual({
			...mapping,
			measures: [mapping.measures[2], mapping.measures[0], mapping.measures[1]]
		});
	});

	test('a category number that is not a number is refused by the schema', () => {
		const rows = rowsFromMapping(['resolved'], mapping);
		rows[0].values.Solved = 'one';
		expect(
			importMappingSchema.safeParse(mappingInput(baseFromMapping(mapping), rows)).success
		).toBe(false);
	});

	test('distinct values of a column in the sample', () => {
		const sample = [
			['1', '', '', 'Solved'],
			['2', '', '', ' Open '],
			['3', '', '', 'Solved'],
			['4', '', '', '']
		];
		expect(distinctValues(columns, sample, 'Status')).toEqual(['Solved', 'Open']);
		expect(distinctValues(columns, sample, 'missing')).toEqual([]);
	});
});
