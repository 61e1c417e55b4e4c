import { describe, expect, test } from 'vitest';
import { importMappingSchema, type ImportMappingInput } from '$lib/schemas/import-mapping';
import { callLogMapping } from '../../../../tests/support/import-mapping-fixtures';
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
] as const;

/** Ticket `id`, opened at 09:00 on 2026-10-03, with the cells given and the others empty. */
function ticket(
	id: string,
	cells: Partial<Record<(typeof header)[number], string>> = {}
): string[] {
	const row: Partial<Record<string, string>> = {
		ticket: id,
		created_at: '2026-10-03 09:00',
		...cells
	};
	return header.map((column) => row[column] ?? '');
}

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
		const result = mapper().map(
			ticket('T-1', {
				first_reply_at: '2026-10-03 09:42',
				solved_at: '2026-10-03 15:30',
				status: 'Yes',
				satisfaction: 'good',
				cost: '3.10',
				team: 'billing'
			})
		);
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
		const result = mapper().map(
			ticket('T-2', {
				created_at: '2026-10-03 23:50',
				first_reply_at: '2026-10-04 00:10',
				status: 'no'
			})
		);
		expect(result.ok && result.event.measures).toEqual({ first_response_minutes: 20, resolved: 0 });
	});

	test.each([
		// 2026-03-29, Madrid: 01:30 → 03:30 on the clock is one hour.
		{ change: 'spring', day: '2026-03-29', nextDay: '2026-03-30', minutes: 60, hours: 23 },
		// 2026-10-25, Madrid: 01:30 → 03:30 on the clock is three hours.
		{ change: 'autumn', day: '2026-10-25', nextDay: '2026-10-26', minutes: 180, hours: 25 }
	])(
		'durations across the $change daylight-saving change count real time, not clock time',
		({ day, nextDay, minutes, hours }) => {
			const result = mapper().map(
				ticket('T-3', {
					created_at: `${day} 01:30`,
					first_reply_at: `${day} 03:30`,
					solved_at: `${nextDay} 01:30`,
					status: 'yes'
				})
			);
			expect(result.ok && result.event.measures.first_response_minutes).toBe(minutes);
			expect(result.ok && result.event.measures.resolution_hours).toBe(hours);
		}
	);

	test('decimal commas where the file uses them', () => {
		const result = mapper({ decimalSeparator: ',' }).map(ticket('T-5', { cost: '1.234,5' }));
		expect(result.ok && result.event.measures).toEqual({ cost_eur: 1234.5 });
	});

	test('empty cells are measures not observed; an unset category too', () => {
		const result = mapper().map(ticket('T-6', { satisfaction: 'Offered' }));
		expect(result).toEqual({
			ok: true,
			event: { id: 'T-6', occurredAt: '2026-10-03T07:00:00.000Z', measures: {} },
			dropped: []
		});
	});

	test.each([
		[ticket(''), 'ticket: the case id is empty'],
		[ticket('T-7', { created_at: 'soon' }), 'created_at: "soon" is not a date'],
		[ticket('T-8', { first_reply_at: '2026-10-03 08:00' }), 'first_reply_at is before created_at'],
		[ticket('T-9', { status: 'perhaps' }), 'status: "perhaps" is not a yes/no'],
		[ticket('T-10', { satisfaction: 'meh' }), 'satisfaction: "meh" has no value'],
		[ticket('T-11', { cost: '3,1' }), 'cost: "3,1" is not a number']
	])('a bad row says which column and why: %j', (row, reason) => {
		const result = mapper().map(row);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});

	test('missing-value markers read as empty cells, in measures and in duration inputs', () => {
		const marked = mapper({ missingMarkers: ['?', 'N/A'] });
		const result = marked.map(
			ticket('T-12', {
				first_reply_at: '?',
				solved_at: ' N/A ',
				status: 'yes',
				satisfaction: '?',
				cost: '?'
			})
		);
		expect(result).toEqual({
			ok: true,
			event: { id: 'T-12', occurredAt: '2026-10-03T07:00:00.000Z', measures: { resolved: 1 } },
			dropped: []
		});
		// Without the marker "?" is a bad cell.
		expect(mapper().map(ticket('T-12', { first_reply_at: '?' })).ok).toBe(false);
		// A marker in the id or the time is a missing id or time: the row cannot be a case.
		expect(marked.map(ticket('?'))).toEqual({
			ok: false,
			reason: 'ticket: the case id is empty'
		});
	});

	test('"drop the measure": a bad cell or a bad duration input loses only that measure', () => {
		const lenient = mapper({ badCell: 'measure' });
		const result = lenient.map(
			ticket('T-13', {
				first_reply_at: '2026-10-03 08:00',
				solved_at: 'soon',
				status: 'yes',
				satisfaction: 'meh',
				cost: '3.5'
			})
		);
		expect(result.ok && result.event.measures).toEqual({ resolved: 1, cost_eur: 3.5 });
		expect(result.ok && result.dropped.map((d) => d.measure)).toEqual([
			'first_response_minutes',
			'resolution_hours',
			'satisfied'
		]);
		expect(result.ok && result.dropped[0].reason).toBe('first_reply_at is before created_at');
		expect(result.ok && result.dropped[1].reason).toContain('solved_at: "soon"');
		// The id and the time are never dropped: without them there is no case.
		expect(lenient.map(ticket('T-14', { created_at: 'soon' })).ok).toBe(false);
	});

	test('a date and a time of day in two columns make one timestamp', () => {
		const split = callLogMapping({
			occurredAtTime: 'Time',
			timezone: 'Europe/Madrid',
			dateOrder: 'dmy'
		});
		const calls = new RecordMapper(split, ['Call', 'Date', 'Time', 'Answered']);
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
		expect(bad).toEqual({ ok: false, reason: expect.stringContaining('Date + Time: ') });
	});

	test('a profile of another tool names the columns this file lacks', () => {
		const callLog = callLogMapping({ id: 'ticket' });
		expect(missingColumns(callLog, header)).toEqual(['Date', 'Answered']);
	});
});
