import { describe, expect, test } from 'vitest';
import { logLine, requestId } from './request-log';

describe('request log', () => {
	test('one line with id, method, route, path, status and duration', () => {
		const line = logLine({
			id: 'abc',
			method: 'POST',
			route: '/api/v1/pilots/[slug]/events',
			pathname: '/api/v1/pilots/triage/events',
			status: 200,
			durationMs: 12.34,
			at: new Date('2026-11-26T10:00:00Z')
		});
		expect(line).toEqual({
			time: '2026-11-26T10:00:00.000Z',
			level: 'info',
			id: 'abc',
			method: 'POST',
			route: '/api/v1/pilots/[slug]/events',
			path: '/api/v1/pilots/triage/events',
			status: 200,
			durationMs: 12.3
		});
		expect(logLine({ ...baseEntry, status: 422 }).level).toBe('warn');
		expect(logLine({ ...baseEntry, status: 503 }).level).toBe('error');
	});

	test('a path segment that looks like a key or token is masked', () => {
		const line = logLine({ ...baseEntry, pathname: `/x/pi_secret/${'a'.repeat(43)}/y` });
		expect(line.path).toBe('/x/[redacted]/[redacted]/y');
	});

	test("a caller's plain request id is kept; anything else is replaced", () => {
		expect(requestId('req-42.a:b_c')).toBe('req-42.a:b_c');
		for (const bad of [null, '', 'x'.repeat(101), 'a b', 'id\nforged: line']) {
			expect(requestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
		}
	});
});

const baseEntry = {
	id: 'i',
	method: 'GET',
	route: null,
	pathname: '/',
	status: 200,
	durationMs: 1,
	at: new Date(0)
};
