import { parse } from 'csv-parse/browser/esm/sync';

// Reads a CSV as it arrives, chunk by chunk, so a 100 MB export never has to be in memory at
// once. A chunk is cut after the last line break that lies outside quotes (an even number of
// quote characters before it: an escaped quote "" counts twice), so a quoted field with line
// breaks is never split. The browser build of csv-parse runs in the page and in Node alike.

export interface CsvRecord {
	/** The line of the file where the record starts (1 = the first line). */
	line: number;
	cells: string[];
}

export class CsvChunkReader {
	readonly #delimiter: string;
	#pending = '';
	/** Line breaks already handed to the parser, so line numbers count from the file's start. */
	#linesBefore = 0;

	constructor(delimiter: string) {
		this.#delimiter = delimiter;
	}

	/** Adds decoded text; returns the records it completes. */
	push(text: string): CsvRecord[] {
		this.#pending += text;
		const cut = lastSafeBreak(this.#pending);
		if (cut === -1) return [];
		const complete = this.#pending.slice(0, cut + 1);
		this.#pending = this.#pending.slice(cut + 1);
		return this.#parse(complete);
	}

	/** The records left at the end of the file (a last line without a line break). */
	end(): CsvRecord[] {
		const rest = this.#pending;
		this.#pending = '';
		return rest.trim() === '' ? [] : this.#parse(rest);
	}

	#parse(text: string): CsvRecord[] {
		const starts = recordStarts(text, this.#delimiter, this.#linesBefore);
		this.#linesBefore += starts.breaks;
		const rows = (
			parse(text, {
				delimiter: this.#delimiter,
				relax_column_count: true,
				relax_quotes: true,
				skip_empty_lines: true,
				bom: true
			}) as string[][]
		).filter((cells) => !cells.every((cell) => cell.trim() === ''));
		// Our scan and the parser agree on every well-formed file; on a malformed one (a stray
		// quote) the line numbers are the best guess, and the rows themselves are the parser's.
		return rows.map((cells, i) => ({
			line: starts.lines[i] ?? starts.lines.at(-1) ?? this.#linesBefore,
			cells
		}));
	}
}

/** The line where each non-blank record of `text` starts, and how many line breaks it holds. */
function recordStarts(
	text: string,
	delimiter: string,
	linesBefore: number
): { lines: number[]; breaks: number } {
	const lines: number[] = [];
	let line = linesBefore + 1;
	let start = line;
	let quotes = 0;
	let blank = true;
	const d = delimiter.charCodeAt(0);
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			if (quotes % 2 === 0) {
				if (!blank) lines.push(start);
				blank = true;
				start = line + 1;
			}
			line++;
		} else if (c === 34) {
			quotes++;
		} else if (blank && c !== 13 && c !== 32 && c !== 9 && c !== d && c !== 0xfeff) {
			blank = false;
		}
	}
	if (!blank) lines.push(start);
	return { lines, breaks: line - linesBefore - 1 };
}

/** The index of the last "\n" outside quotes, or -1. */
function lastSafeBreak(text: string): number {
	let quotes = 0;
	let safe = -1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 34) quotes++;
		else if (c === 10 && quotes % 2 === 0) safe = i;
	}
	return safe;
}
