import { describe, expect, test } from 'vitest';
import { logLine, requestId } from './request-log';

/** A request as the log sees it; each test changes what it is about. */
const postEvents = {
	id: 'abc',
	method: 'POST',
	route: '/api/v1/pilots/[slug]/events',
	pathname: '/api/v1/pilots/triage/events',
	status: 200,
	durationMs: 12.34,
	at: new Date('2026-11-26T10:00:00Z')
};

describe('request log', () => {
	test('one line with id, method, route, path, status and duration', () => {
		expect(logLine(postEvents)).toEqual({
			time: '2026-11-26T10:00:00.000Z',
			level: 'info',
			id: 'abc',
			method: 'POST',
			route: '/api/v1/pilots/[slug]/events',
			path: '/api/v1/pilots/triage/events',
			status: 200,
			durationMs: 12.3
		});
		expect(logLine({ ...postEvents, status: 422 }).level).toBe('warn');
		expect(logLine({ ...postEvents, status: 503 }).level).toBe('error');
	});

	test('a path segment that looks like a key or token is masked', () => {
		const line = logLine({ ...postEvents, pathname: `/x/pi_secret/${'a'.repeat(43)}/y` });
		expect(line.path).toBe('/x/[redacted]/[redacted]/y');
	});

	test("a caller's plain request id is kept; anything else is replaced", () => {
		expect(requestId('req-42.a:b_c')).toBe('req-42.a:b_c');
		for (const bad of [null, '', 'x'.repeat(101), 'a b', 'id\nforged: line']) {
			expect(requestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
		}
	});
});
