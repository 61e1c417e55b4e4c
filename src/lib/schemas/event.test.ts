import { describe, expect, it } from 'vitest';
import { eventInputFromCsv, eventSchema } from './event';

describe('eventSchema', () => {
	it('refuses the NUL character in an id or a segment, which PostgreSQL cannot store', () => {
		const base = { occurredAt: '2026-10-03T09:14:00Z', measures: {} };
		const id = eventSchema.safeParse({ ...base, id: 'ticket\u00001' });
		expect(id.error?.issues[0].message).toBe('an id cannot contain the NUL character (U+0000)');
		const segment = eventSchema.safeParse({ ...base, id: 'ticket-1', segment: '\u0000' });
		expect(segment.error?.issues[0].path).toEqual(['segment']);
		expect(eventSchema.safeParse({ ...base, id: 'ticket\u0001' }).success).toBe(true);
	});

	it('accepts the docs/api.md example and defaults the cohort to ai', () => {
		const event = eventSchema.parse({
			id: 'ticket-48213',
			occurredAt: '2026-10-03T09:14:00+02:00',
			segment: 'billing',
			measures: { handling_minutes: 7.5, error: 0, resolved: true }
		});
		expect(event.cohort).toBe('ai');
		expect(event.measures).toEqual({ handling_minutes: 7.5, error: 0, resolved: 1 });
	});

	it.each<[string, Record<string, unknown>, string]>([
		['an empty id', { id: '' }, 'id'],
		['an id over 200 characters', { id: 'x'.repeat(201) }, 'id'],
		['a time without offset', { occurredAt: '2026-10-03T09:14:00' }, 'occurredAt'],
		['an unknown phase', { phase: 'during' }, 'phase'],
		['an unknown cohort', { cohort: 'human' }, 'cohort'],
		['a string measure', { measures: { x: '7' } }, 'measures.x'],
		['an infinite measure', { measures: { x: Infinity } }, 'measures.x'],
		['a NaN measure', { measures: { x: NaN } }, 'measures.x']
	])('rejects %s', (_name, over, path) => {
		const result = eventSchema.safeParse({
			id: 'a',
			occurredAt: '2026-10-03T09:14:00Z',
			measures: { x: 1 },
			...over
		});
		expect(result.success).toBe(false);
		expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
	});
});

describe('eventInputFromCsv', () => {
	it('reads measures, skips empty cells and maps true/false', () => {
		const parsed = eventInputFromCsv({
			id: 't1',
			occurred_at: '2026-10-03T09:14:00Z',
			phase: '',
			segment: 'billing',
			handling_minutes: '7.5',
			error: 'false',
			resolved: 'TRUE',
			csat: ''
		});
		expect(parsed).toEqual({
			ok: true,
			input: {
				id: 't1',
				occurredAt: '2026-10-03T09:14:00Z',
				phase: undefined,
				segment: 'billing',
				cohort: undefined,
				measures: { handling_minutes: 7.5, error: 0, resolved: 1 }
			}
		});
	});

	it('names the bad cell', () => {
		expect(eventInputFromCsv({ id: 't', occurred_at: 'x', csat: 'five' })).toEqual({
			ok: false,
			path: 'measures.csat',
			message: '"five" is not a finite number'
		});
	});
});
