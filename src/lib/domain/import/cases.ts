import type { DateOrder } from './values';
import { readNumber, readTimestamp } from './values';
import type { MappedEvent } from './mapping';

// Event logs: several rows per case (a ServiceNow incident has a row per update). The rows of
// a case can be anywhere in the file, so they are reduced while the file streams, one entry
// per case id: memory grows with the number of cases, not with the number of rows. Which row
// wins is decided by an order column (a sequence number or an update time), ties and files
// without one by the order of the lines.

/** A cell of the order column: a number, else a timestamp (epoch ms), else its text. */
export type OrderKey = number | string;

export function orderKey(
	cell: string,
	timezone: string,
	dateOrder: DateOrder,
	decimalSeparator: '.' | ','
): OrderKey {
	const text = cell.trim();
	if (text === '') return '';
	const number = readNumber(text, decimalSeparator);
	if (number.ok) return number.value;
	const at = readTimestamp(text, timezone, dateOrder);
	return at.ok ? at.value : text;
}

/** An empty cell sorts first, then numbers (and times) by value, then text. */
export function compareKeys(a: OrderKey, b: OrderKey): number {
	if (a === b) return 0;
	if (a === '') return -1;
	if (b === '') return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'number') return -1;
	if (typeof b === 'number') return 1;
	return a < b ? -1 : 1;
}

export type CaseRule = 'first' | 'last' | 'combine';

export interface CaseRow<T> {
	line: number;
	event: MappedEvent;
	key: OrderKey;
	/** What the caller keeps with a row (its cells, for the list of rows not imported). */
	extra: T;
}

interface Observed {
	value: number;
	key: OrderKey;
	line: number;
}

interface Case<T> {
	/** first/last: the winning row; combine: the row that gives the case its time. */
	row: CaseRow<T>;
	rows: number;
	/** combine only: the latest observed value of each measure, segment and cohort. */
	measures?: Map<string, Observed>;
	segment?: { text: string; key: OrderKey; line: number };
	cohort?: { text: string; key: OrderKey; line: number };
}

/** Is `a` later than `b` in the case's order (the line breaks ties)? */
function later(a: { key: OrderKey; line: number }, b: { key: OrderKey; line: number }): boolean {
	const c = compareKeys(a.key, b.key);
	return c > 0 || (c === 0 && a.line > b.line);
}

/**
 * Reduces rows to one per case id. `first` / `last` keep that row of each case and hand every
 * other row to `leftOut` as soon as it loses; `combine` keeps the first row's time and each
 * measure's latest observed value (a row where a measure is missing does not erase it).
 */
export class CaseReducer<T> {
	readonly #rule: CaseRule;
	readonly #leftOut: (row: CaseRow<T>) => void;
	readonly #cases = new Map<string, Case<T>>();

	constructor(rule: CaseRule, leftOut: (row: CaseRow<T>) => void = () => undefined) {
		this.#rule = rule;
		this.#leftOut = leftOut;
	}

	get size(): number {
		return this.#cases.size;
	}

	/** The line of the row a case is imported from (its time, for `combine`). */
	keptLine(id: string): number | null {
		return this.#cases.get(id)?.row.line ?? null;
	}

	add(row: CaseRow<T>): void {
		const id = row.event.id;
		const found = this.#cases.get(id);
		if (!found) {
			const entry: Case<T> = { row, rows: 1 };
			if (this.#rule === 'combine') {
				entry.measures = new Map();
				this.#observe(entry, row);
			}
			this.#cases.set(id, entry);
			return;
		}
		found.rows++;
		if (this.#rule === 'combine') {
			if (later(found.row, row)) found.row = row;
			this.#observe(found, row);
			return;
		}
		const wins = this.#rule === 'last' ? later(row, found.row) : later(found.row, row);
		if (wins) {
			this.#leftOut(found.row);
			found.row = row;
		} else this.#leftOut(row);
	}

	#observe(entry: Case<T>, row: CaseRow<T>): void {
		const at = { key: row.key, line: row.line };
		for (const [measure, value] of Object.entries(row.event.measures)) {
			const seen = entry.measures!.get(measure);
			if (!seen || later(at, seen)) entry.measures!.set(measure, { value, ...at });
		}
		const { segment, cohort } = row.event;
		if (segment !== undefined && (!entry.segment || later(at, entry.segment)))
			entry.segment = { text: segment, ...at };
		if (cohort !== undefined && (!entry.cohort || later(at, entry.cohort)))
			entry.cohort = { text: cohort, ...at };
	}

	/** One row per case, in the order the cases first appeared; the reducer is emptied. */
	*cases(): Generator<CaseRow<T> & { rows: number }> {
		for (const [id, entry] of this.#cases) {
			this.#cases.delete(id);
			if (this.#rule !== 'combine') {
				yield { ...entry.row, rows: entry.rows };
				continue;
			}
			const event: MappedEvent = {
				id,
				occurredAt: entry.row.event.occurredAt,
				measures: Object.fromEntries([...entry.measures!].map(([m, o]) => [m, o.value]))
			};
			if (entry.segment) event.segment = entry.segment.text;
			if (entry.cohort) event.cohort = entry.cohort.text;
			yield { ...entry.row, event, rows: entry.rows };
		}
	}
}
