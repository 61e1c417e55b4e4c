import { describe, expect, test } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvLine, safeText } from './csv-write';

describe('csvLine', () => {
	test('quotes what needs it and reads back exactly', () => {
		const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', 7.25, -0.1, null, ''];
		const line = csvLine(cells);
		expect(line).toBe('plain,"a,b","say ""hi""","two\nlines",7.25,-0.1,,\r\n');
		expect(parse(line)).toEqual([
			['plain', 'a,b', 'say "hi"', 'two\nlines', '7.25', '-0.1', '', '']
		]);
	});

	test('typed text that a spreadsheet would run as a formula is defused', () => {
		expect(safeText('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
		expect(safeText('@sum')).toBe(`'@sum`);
		expect(safeText('fine')).toBe('fine');
		expect(safeText(null)).toBeNull();
	});
});
