import { describe, expect, test } from 'vitest';
import { columnNames, detectDelimiter, detectEncoding, looksLikeHeader, sniff } from './detect';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('encoding', () => {
	test('UTF-8 with a byte-order mark: detected, and the mark is not part of the first column', () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('ticket;créé\nT-1;2026-10-03\n')]);
		const sniffed = sniff(bytes);
		expect(sniffed).toMatchObject({
			encoding: 'utf-8',
			bom: true,
			delimiter: ';',
			hasHeader: true
		});
		expect(sniffed.columns).toEqual(['ticket', 'créé']);
	});

	test('UTF-8 without a mark', () => {
		expect(detectEncoding(utf8('équipe,n\n'))).toEqual({ encoding: 'utf-8', bom: false });
	});

	test('a sample cut inside a UTF-8 character is still UTF-8', () => {
		const bytes = utf8('a,é');
		expect(detectEncoding(bytes.slice(0, bytes.length - 1)).encoding).toBe('utf-8');
	});

	test('Latin-1 (Windows "ANSI" exports) is read as such', () => {
		// "équipe;coût\nsupport;3,5\n" in ISO-8859-1
		const bytes = new Uint8Array([
			0xe9, 0x71, 0x75, 0x69, 0x70, 0x65, 0x3b, 0x63, 0x6f, 0xfb, 0x74, 0x0a, 0x73, 0x75, 0x70,
			0x70, 0x6f, 0x72, 0x74, 0x3b, 0x33, 0x2c, 0x35, 0x0a
		]);
		const sniffed = sniff(bytes);
		expect(sniffed.encoding).toBe('latin1');
		expect(sniffed.columns).toEqual(['équipe', 'coût']);
		expect(sniffed.decimalSeparator).toBe(',');
	});
});

describe('delimiter and header', () => {
	test.each([
		['a,b,c\n1,2,3\n', ','],
		['a;b;c\n1,5;2;3\n', ';'],
		['a\tb\n1\t2\n', '\t'],
		['a|b\n1|2\n', '|'],
		['name,note\n"Smith, J";"x"\n"Lee, K";"y"\n', ',']
	])('%j → %j', (text, delimiter) => {
		expect(detectDelimiter(text)).toBe(delimiter);
	});

	test('a first row of numbers or dates is data, not a header', () => {
		expect(looksLikeHeader(['ticket', 'created_at'])).toBe(true);
		expect(looksLikeHeader(['T-1', '2026-10-03 09:00'])).toBe(false);
		expect(looksLikeHeader(['a', '12'])).toBe(false);
		const sniffed = sniff(utf8('1;2026-10-03\n2;2026-10-04\n'));
		expect(sniffed.hasHeader).toBe(false);
		expect(sniffed.columns).toEqual(['Column 1', 'Column 2']);
		expect(sniffed.rows).toHaveLength(2);
	});

	test('day-first dates are recognised', () => {
		expect(sniff(utf8('id,at\n1,25/10/2026 10:00\n')).dateOrder).toBe('dmy');
		expect(sniff(utf8('id,at\n1,10/25/2026 10:00\n')).dateOrder).toBe('mdy');
		// Two-digit years: the order is read from the day or month above 12.
		expect(sniff(utf8('id,at\n1,01-02-21 10:00\n2,25-02-21 11:00\n')).dateOrder).toBe('dmy');
		expect(sniff(utf8('id,at\n1,02/25/21 10:00\n')).dateOrder).toBe('mdy');
	});
});

describe('columnNames', () => {
	test('empty and repeated header cells still give every column its own name', () => {
		expect(columnNames(['id', '', 'Notes', 'Notes'], true)).toEqual([
			'id',
			'Column 2',
			'Notes',
			'Notes (2)'
		]);
		expect(columnNames(['1', '2'], false)).toEqual(['Column 1', 'Column 2']);
	});
});
