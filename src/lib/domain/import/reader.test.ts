import { describe, expect, test } from 'vitest';
import { CsvChunkReader } from './reader';

describe('CsvChunkReader', () => {
	const text =
		'id,note,n\r\n1,"two\r\nlines",3\r\n\r\n2,"say ""hi""",4\r\n3,"a,b\nc\nd",5\r\n4,last,6';

	test('quoted fields with line breaks, escaped quotes and delimiters; line numbers from the file', () => {
		const reader = new CsvChunkReader(',');
		const records = [...reader.push(text), ...reader.end()];
		expect(records).toEqual([
			{ line: 1, cells: ['id', 'note', 'n'] },
			{ line: 2, cells: ['1', 'two\r\nlines', '3'] },
			{ line: 5, cells: ['2', 'say "hi"', '4'] },
			{ line: 6, cells: ['3', 'a,b\nc\nd', '5'] },
			{ line: 9, cells: ['4', 'last', '6'] }
		]);
	});

	test('the same records whatever the chunk boundaries', () => {
		const whole = new CsvChunkReader(',');
		const expected = [...whole.push(text), ...whole.end()];
		for (const size of [1, 2, 3, 5, 7, 11]) {
			const reader = new CsvChunkReader(',');
			const records = [];
			for (let i = 0; i < text.length; i += size)
				records.push(...reader.push(text.slice(i, i + size)));
			records.push(...reader.end());
			expect(records, `chunks of ${size}`).toEqual(expected);
		}
	});
});

describe('CsvChunkReader on broken rows', () => {
	test('rows with too few or too many cells are kept for the mapping to judge', () => {
		const reader = new CsvChunkReader(';');
		expect([...reader.push('a;b;c\n1;2\n3;4;5;6\n'), ...reader.end()]).toEqual([
			{ line: 1, cells: ['a', 'b', 'c'] },
			{ line: 2, cells: ['1', '2'] },
			{ line: 3, cells: ['3', '4', '5', '6'] }
		]);
	});
});
