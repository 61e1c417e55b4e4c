import { parse } from 'csv-parse/browser/esm/sync';
import { readNumber, readTimestamp } from './values';

// What a file is, guessed from its first bytes: the encoding, the delimiter, whether the first
// row is a header, and how its numbers and dates are written. Every guess is shown to the user,
// who can change it; nothing here is final.

export type Encoding = 'utf-8' | 'latin1';
export const delimiters = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof delimiters)[number];

export interface Sniffed {
	encoding: Encoding;
	bom: boolean;
	delimiter: Delimiter;
	hasHeader: boolean;
	/** The column names: the header's, or "Column 1", "Column 2"… */
	columns: string[];
	/** The first records after the header (up to 200: enough to list a column's values). */
	rows: string[][];
	decimalSeparator: '.' | ',';
	dateOrder: 'ymd' | 'dmy' | 'mdy';
}

/**
 * UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, else Latin-1 (the
 * "ANSI" of spreadsheet exports on Windows). A sample may end inside a character: streaming
 * decode does not count that as invalid.
 */
export function detectEncoding(bytes: Uint8Array): { encoding: Encoding; bom: boolean } {
	const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	if (bom) return { encoding: 'utf-8', bom };
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return { encoding: 'utf-8', bom };
	} catch {
		return { encoding: 'latin1', bom };
	}
}

/** Decodes a sample; a UTF-8 byte-order mark is dropped by TextDecoder. */
export function decodeSample(bytes: Uint8Array, encoding: Encoding): string {
	return new TextDecoder(encoding).decode(bytes, { stream: true });
}

/** Complete lines only: the sample's last line may be cut off. */
function completeLines(text: string): string {
	const cut = text.lastIndexOf('\n');
	return cut === -1 ? text : text.slice(0, cut + 1);
}

function parseSample(text: string, delimiter: string): string[][] {
	try {
		return parse(text, {
			delimiter,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true,
			to_line: 200
		}) as string[][];
	} catch {
		return [];
	}
}

/**
 * The delimiter that splits the sample into the most columns with the same count on (nearly)
 * every row. Quoted fields are parsed, so a comma inside quotes does not vote for the comma.
 */
export function detectDelimiter(text: string): Delimiter {
	let best: Delimiter = ',';
	let bestScore = 0;
	for (const delimiter of delimiters) {
		const rows = parseSample(text, delimiter).slice(0, 50);
		if (rows.length === 0) continue;
		const width = rows[0].length;
		if (width < 2) continue;
		const consistent = rows.filter((r) => r.length === width).length / rows.length;
		const score = consistent * width;
		if (consistent >= 0.8 && score > bestScore) {
			best = delimiter;
			bestScore = score;
		}
	}
	return best;
}

const looksLikeData = (cell: string): boolean =>
	cell.trim() === '' ||
	readNumber(cell, '.').ok ||
	readNumber(cell, ',').ok ||
	readTimestamp(cell, 'UTC', 'dmy').ok ||
	readTimestamp(cell, 'UTC', 'ymd').ok;

/** A header is a row of distinct, non-empty names, none of them a number or a date. */
export function looksLikeHeader(row: readonly string[]): boolean {
	const names = row.map((c) => c.trim());
	return (
		names.length > 0 &&
		names.every((name) => !looksLikeData(name)) &&
		new Set(names).size === names.length
	);
}

/** "7,5" and no "7.5" among the numeric-looking cells: the file writes decimal commas. */
export function detectDecimalSeparator(rows: readonly string[][], delimiter: string): '.' | ',' {
	if (delimiter === ',') return '.';
	let comma = 0;
	let point = 0;
	for (const row of rows) {
		for (const cell of row) {
			const text = cell.trim();
			if (/^[+-]?\d+,\d+$/.test(text)) comma++;
			else if (/^[+-]?\d+\.\d+$/.test(text)) point++;
		}
	}
	return comma > point ? ',' : '.';
}

/**
 * Dates written 31/12/2026 (or 31/12/26) are day first; 12/31/2026 month first; otherwise year
 * first.
 */
export function detectDateOrder(rows: readonly string[][]): 'ymd' | 'dmy' | 'mdy' {
	let dayFirst = 0;
	let monthFirst = 0;
	let yearLast = 0;
	for (const row of rows) {
		for (const cell of row) {
			const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?![\d])/.exec(cell.trim());
			if (!m) continue;
			yearLast++;
			if (+m[1] > 12) dayFirst++;
			if (+m[2] > 12) monthFirst++;
		}
	}
	if (yearLast === 0) return 'ymd';
	return monthFirst > dayFirst ? 'mdy' : 'dmy';
}

/** Column names, made unique ("Notes", "Notes (2)") so a mapping can name each one. */
export function columnNames(first: readonly string[], hasHeader: boolean): string[] {
	const seen = new Map<string, number>();
	return first.map((cell, i) => {
		const name = (hasHeader && cell.trim()) || `Column ${i + 1}`;
		const n = (seen.get(name) ?? 0) + 1;
		seen.set(name, n);
		return n === 1 ? name : `${name} (${n})`;
	});
}

/** Everything the wizard guesses from a file's first bytes (say 64 KiB). */
export function sniff(
	bytes: Uint8Array,
	override: Partial<Pick<Sniffed, 'encoding' | 'delimiter' | 'hasHeader'>> = {}
): Sniffed {
	const detected = detectEncoding(bytes);
	const encoding = override.encoding ?? detected.encoding;
	const text = completeLines(decodeSample(bytes, encoding));
	const delimiter = override.delimiter ?? detectDelimiter(text);
	const records = parseSample(text, delimiter);
	const first = records[0] ?? [];
	const hasHeader = override.hasHeader ?? looksLikeHeader(first);
	const rows = hasHeader ? records.slice(1) : records;
	return {
		encoding,
		bom: detected.bom,
		delimiter,
		hasHeader,
		columns: columnNames(first, hasHeader),
		rows: rows.slice(0, 200),
		decimalSeparator: detectDecimalSeparator(rows, delimiter),
		dateOrder: detectDateOrder(rows)
	};
}
