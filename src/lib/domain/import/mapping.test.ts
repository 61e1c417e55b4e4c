import { describe, expect, test } from 'vitest';
import { importMappingSchema, type ImportMappingInput } from '$lib/schemas/import-mapping';
import { missingColumns, RecordMapper } from './mapping';

const header = [
	'ticket',
	'created_at',
	'first_reply_at',
	'solved_at',
	'status',
	'satisfaction',
	'cost',
	'team'
];

function mapper(overrides: Partial<ImportMappingInput> = {}): RecordMapper {
	const mapping = importMappingSchema.parse({
		id: 'ticket',
		occurredAt: 'created_at',
		timezone: 'Europe/Madrid',
		segment: 'team',
		measures: [
			{
				measure: 'first_response_minutes',
				source: { kind: 'duration', start: 'created_at', end: 'first_reply_at', unit: 'minutes' }
			},
			{
				measure: 'resolution_hours',
				source: { kind: 'duration', start: 'created_at', end: 'solved_at', unit: 'hours' }
			},
			{ measure: 'resolved', source: { kind: 'boolean', column: 'status' } },
			{
				measure: 'satisfied',
				source: {
					kind: 'category',
					column: 'satisfaction',
					values: { Good: 1, Bad: 0, Offered: null }
				}
			},
			{ measure: 'cost_eur', source: { kind: 'number', column: 'cost' } }
		],
		...overrides
	});
	return new RecordMapper(mapping, header);
}

describe('RecordMapper', () => {
	test('maps a helpdesk row: durations, yes/no, text satisfaction, segment', () => {
		const result = mapper().map([
			'T-1',
			'2026-10-03 09:00',
			'2026-10-03 09:42',
			'2026-10-03 15:30',
			'Yes',
			'good',
			'3.10',
			'billing'
		]);
		expect(result).toEqual({
			ok: true,
			event: {
				id: 'T-1',
				occurredAt: '2026-10-03T07:00:00.000Z',
				segment: 'billing',
				measures: {
					first_response_minutes: 42,
					resolution_hours: 6.5,
					resolved: 1,
					satisfied: 1,
					cost_eur: 3.1
				}
			},
			dropped: []
		});
	});

	test('a duration across midnight counts the minutes that passed', () => {
		const result = mapper().map([
			'T-2',
			'2026-10-03 23:50',
			'2026-10-04 00:10',
			'',
			'no',
			'',
			'',
			''
		]);
		expect(result.ok && result.event.measures).toEqual({ first_response_minutes: 20, resolved: 0 });
	});

	test('durations across daylight-saving changes count real time, not clock time', () => {
		// 2026-03-29, Madrid: 01:30 → 03:30 on the clock is one hour.
		const spring = mapper().map([
			'T-3',
			'2026-03-29 01:30',
			'2026-03-29 03:30',
			'2026-03-30 01:30',
			'yes',
			'',
			'',
			''
		]);
		expect(spring.ok && spring.event.measures.first_response_minutes).toBe(60);
		expect(spring.ok && spring.event.measures.resolution_hours).toBe(23);
		// 2026-10-25, Madrid: 01:30 → 03:30 on the clock is three hours.
		const autumn = mapper().map([
			'T-4',
			'2026-10-25 01:30',
			'2026-10-25 03:30',
			'2026-10-26 01:30',
			'yes',
			'',
			'',
			''
		]);
		expect(autumn.ok && autumn.event.measures.first_response_minutes).toBe(180);
		expect(autumn.ok && autumn.event.measures.resolution_hours).toBe(25);
	});

	test('decimal commas where the file uses them', () => {
		const result = mapper({ decimalSeparator: ',' }).map([
			'T-5',
			'2026-10-03 09:00',
			'',
			'',
			'',
			'',
			'1.234,5',
			''
		]);
		expect(result.ok && result.event.measures).toEqual({ cost_eur: 1234.5 });
	});

	test('empty cells are measures not observed; an unset category too', () => {
		const result = mapper().map(['T-6', '2026-10-03 09:00', '', '', '', 'Offered', '', '']);
		expect(result).toEqual({
			ok: true,
			event: { id: 'T-6', occurredAt: '2026-10-03T07:00:00.000Z', measures: {} },
			dropped: []
		});
	});

	test.each([
		[['', '2026-10-03 09:00', '', '', '', '', '', ''], 'ticket: the case id is empty'],
		[['T-7', 'soon', '', '', '', '', '', ''], 'created_at: "soon" is not a date'],
		[
			['T-8', '2026-10-03 09:00', '2026-10-03 08:00', '', '', '', '', ''],
			'first_reply_at is before created_at'
		],
		[
			['T-9', '2026-10-03 09:00', '', '', 'perhaps', '', '', ''],
			'status: "perhaps" is not a yes/no'
		],
		[['T-10', '2026-10-03 09:00', '', '', '', 'meh', '', ''], 'satisfaction: "meh" has no value'],
		[['T-11', '2026-10-03 09:00', '', '', '', '', '3,1', ''], 'cost: "3,1" is not a number']
	])('a bad row says which column and why: %j', (row, reason) => {
		const result = mapper().map(row);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});

	test('missing-value markers read as empty cells, in measures and in duration inputs', () => {
		const marked = mapper({ missingMarkers: ['?', 'N/A'] });
		const result = marked.map(['T-12', '2026-10-03 09:00', '?', ' N/A ', 'yes', '?', '?', '']);
		expect(result).toEqual({
			ok: true,
			event: { id: 'T-12', occurredAt: '2026-10-03T07:00:00.000Z', measures: { resolved: 1 } },
			dropped: []
		});
		// Without the marker "?" is a bad cell.
		expect(mapper().map(['T-12', '2026-10-03 09:00', '?', '', '', '', '', '']).ok).toBe(false);
		// A marker in the id or the time is a missing id or time: the row cannot be a case.
		expect(marked.map(['?', '2026-10-03 09:00', '', '', '', '', '', ''])).toEqual({
			ok: false,
			reason: 'ticket: the case id is empty'
		});
	});

	test('"drop the measure": a bad cell or a bad duration input loses only that measure', () => {
		const lenient = mapper({ badCell: 'measure' });
		const result = lenient.map([
			'T-13',
			'2026-10-03 09:00',
			'2026-10-03 08:00',
			'soon',
			'yes',
			'meh',
			'3.5',
			''
		]);
		expect(result.ok && result.event.measures).toEqual({ resolved: 1, cost_eur: 3.5 });
		expect(result.ok && result.dropped.map((d) => d.measure)).toEqual([
			'first_response_minutes',
			'resolution_hours',
			'satisfied'
		]);
		expect(result.ok && result.dropped[0].reason).toBe('first_reply_at is before created_at');
		expect(result.ok && result.dropped[1].reason).toContain('solved_at: "soon"');
		// The id and the time are never dropped: without them there is no case.
		expect(lenient.map(['T-14', 'soon', '', '', '', '', '', '']).ok).toBe(false);
	});

	test('a date and a time of day in two columns make one timestamp', () => {
		const split = importMappingSchema.parse({
			id: 'call',
			occurredAt: 'date',
			occurredAtTime: 'time',
			timezone: 'Europe/Madrid',
			dateOrder: 'dmy',
			measures: [{ measure: 'answered', source: { kind: 'boolean', column: 'answered' } }]
		});
		const calls = new RecordMapper(split, ['call', 'date', 'time', 'answered']);
		expect(calls.map(['C-1', '03/10/26', '09:14:05', 'Y'])).toEqual({
			ok: true,
			event: {
				id: 'C-1',
				occurredAt: '2026-10-03T07:14:05.000Z',
				measures: { answered: 1 }
			},
			dropped: []
		});
		// No time: the date's midnight, as before.
		const midnight = calls.map(['C-2', '03/10/26', '', 'N']);
		expect(midnight.ok && midnight.event.occurredAt).toBe('2026-10-02T22:00:00.000Z');
		const bad = calls.map(['C-3', '03/10/26', '25:00', 'N']);
		expect(bad).toEqual({ ok: false, reason: expect.stringContaining('date + time: ') });
	});

	test('a profile of another tool names the columns this file lacks', () => {
		const mapping = importMappingSchema.parse({
			id: 'ticket',
			occurredAt: 'opened',
			timezone: 'UTC',
			measures: [{ measure: 'csat', source: { kind: 'number', column: 'score' } }]
		});
		expect(missingColumns(mapping, header)).toEqual(['opened', 'score']);
	});
});
