import { describe, expect, test } from 'vitest';
import { importMappingSchema } from '$lib/schemas/import-mapping';
import { callLogMapping } from '../../../tests/support/import-mapping-fixtures';
import {
	distinctValues,
	mappingInput,
	rowsFromMapping,
	baseFromMapping
} from './import-mapping-form';
import { dateOrderClash, suggestMapping } from '$lib/domain/import/suggest';

const columns = ['Ticket ID', 'Created at', 'First reply at', 'Status', 'csat', 'Group'];
const defaults = { timezone: 'Europe/Madrid', decimalSeparator: ',', dateOrder: 'dmy' } as const;

describe('suggestMapping', () => {
	test('finds the id, the time, a segment and measures named like columns', () => {
		expect(suggestMapping(columns, ['csat', 'resolved'], defaults)).toEqual({
			id: 'Ticket ID',
			occurredAt: 'Created at',
			...defaults,
			occurredAtTime: null,
			segment: 'Group',
			cohort: null,
			measures: [{ measure: 'csat', source: { kind: 'number', column: 'csat' } }],
			missingMarkers: [],
			badCell: 'row',
			rowsPerCase: 'one',
			orderBy: null
		});
	});

	test('falls back to the first two columns', () => {
		const suggestion = suggestMapping(['a', 'b'], [], defaults);
		expect([suggestion.id, suggestion.occurredAt]).toEqual(['a', 'b']);
	});

	test('the time is a column holding dates, not one named like a time (opened_by)', () => {
		const header = ['number', 'opened_by', 'opened_at', 'made_sla'];
		const rows = [
			['INC1', 'Caller 12', '29/02/16 01:16', 'true'],
			['INC2', 'Caller 7', '29/02/16 04:40', 'false']
		];
		const suggestion = suggestMapping(header, ['made_sla'], defaults, rows);
		expect(suggestion.occurredAt).toBe('opened_at');
		// true/false is a yes/no column, not a number.
		expect(suggestion.measures).toEqual([
			{ measure: 'made_sla', source: { kind: 'boolean', column: 'made_sla' } }
		]);
	});

	test.each([
		[['Y', 'N', 'y'], 'boolean'],
		[['yes', 'no'], 'boolean'],
		[['1', '0', '1'], 'number'],
		[['3', '7'], 'number']
	])('a column of %j is suggested as %s', (values, kind) => {
		const rows = values.map((v, i) => [`C${i}`, '2026-10-01', v]);
		const suggestion = suggestMapping(['id', 'date', 'answered'], ['answered'], defaults, rows);
		expect(suggestion.measures[0].source.kind).toBe(kind);
	});

	test('a date and a time of day in two columns: the time column is suggested', () => {
		const rows = [
			['C1', '03/10/26', '09:14:05', 'Y'],
			['C2', '03/10/26', '17:02:00', 'N']
		];
		const suggestion = suggestMapping(['Call', 'Date', 'Time', 'Answered'], [], defaults, rows);
		expect([suggestion.occurredAt, suggestion.occurredAtTime]).toEqual(['Date', 'Time']);
	});

	test('markers found in the rows, and an event log’s repeated ids with its order column', () => {
		const header = ['number', 'sys_updated_on', 'opened_at', 'resolved_at'];
		const rows = [
			['INC1', '29/02/16 01:23', '29/02/16 01:16', '?'],
			['INC1', '29/02/16 08:53', '29/02/16 01:16', '29/02/16 08:50'],
			['INC2', '29/02/16 04:57', '29/02/16 04:40', 'NA']
		];
		const suggestion = suggestMapping(header, [], defaults, rows);
		expect(suggestion.missingMarkers).toEqual(['?', 'NA']);
		expect(suggestion.occurredAt).toBe('opened_at');
		expect([suggestion.rowsPerCase, suggestion.orderBy]).toEqual(['last', 'sys_updated_on']);
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

describe('a saved profile on a file dated differently', () => {
	const profile = callLogMapping({ dateOrder: 'ymd' });
	const header = ['Call', 'Date', 'Answered'];

	test('the detected order wins when the profile’s cannot read the dates', () => {
		const rows = [
			['C1', '23-09-26', 'Y'],
			['C2', '01-10-26', 'N']
		];
		expect(dateOrderClash(profile, header, rows, 'dmy')).toBe('dmy');
	});

	test('no clash when the profile reads the file', () => {
		const rows = [['C1', '2026-09-23', 'Y']];
		expect(dateOrderClash(profile, header, rows, 'dmy')).toBeNull();
		expect(dateOrderClash(profile, header, rows, 'ymd')).toBeNull();
	});
});
