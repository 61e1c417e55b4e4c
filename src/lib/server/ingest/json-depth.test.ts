import { describe, expect, test } from 'vitest';
import { JsonDepthGuard, MAX_JSON_DEPTH, withinDepth } from './json-depth';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('JSON nesting depth', () => {
	test.each([
		{ name: 'an event batch', text: '{"events":[{"id":"a","measures":{"x":1}}]}', ok: true },
		{ name: 'exactly the bound', text: '['.repeat(MAX_JSON_DEPTH), ok: true },
		{ name: 'one level more', text: '['.repeat(MAX_JSON_DEPTH + 1), ok: false },
		{ name: 'brackets inside strings', text: `["${'['.repeat(500)}"]`, ok: true },
		{ name: 'an escaped quote in a string', text: `["\\"${'{'.repeat(500)}"]`, ok: true },
		{ name: 'deep objects', text: '{"a":'.repeat(MAX_JSON_DEPTH + 1), ok: false },
		{ name: 'closed levels do not add up', text: '[[]]'.repeat(1000), ok: true }
	])('$name', ({ text, ok }) => {
		expect(withinDepth(bytes(text))).toBe(ok);
	});

	test('ten mebibytes of [ are refused within the first chunk of 64 KiB', () => {
		const guard = new JsonDepthGuard();
		const chunk = new Uint8Array(64 * 1024).fill(0x5b);
		expect(guard.feed(chunk)).toBe(false);
	});

	test('depth and string state carry across chunks', () => {
		const guard = new JsonDepthGuard();
		expect(guard.feed(bytes('{"events":["id with ['))).toBe(true);
		expect(guard.feed(bytes('[[ and \\"'.repeat(100)))).toBe(true);
		// The string closes here; the array and the object stay open: depth 2.
		expect(guard.feed(bytes('"'))).toBe(true);
		expect(guard.feed(bytes(',' + '['.repeat(MAX_JSON_DEPTH - 2)))).toBe(true);
		expect(guard.feed(bytes('['))).toBe(false);
	});

	test('NDJSON: each line starts at depth 0', () => {
		const guard = new JsonDepthGuard(MAX_JSON_DEPTH, true);
		const line = '['.repeat(MAX_JSON_DEPTH - 1) + '\n';
		expect(guard.feed(bytes(line.repeat(100)))).toBe(true);
		expect(guard.feed(bytes('['.repeat(MAX_JSON_DEPTH + 1)))).toBe(false);
	});
});
