import type { Db } from '../db';
import { sqlRun } from '../db/statements';

// Many rows of one INSERT (or upsert) in few statements, on either engine: every statement is a
// round trip to PostgreSQL and an await on SQLite, so a batch's rollup rows and quantile values
// go in statements of several rows rather than one each.
//
// How many rows a statement takes is the table's (`maxRows`): on SQLite an upsert of 32 rows
// costs about a third less a row than one row at a time, while a plain insert into
// `quantile_values` (a rowid table with one index) costs a fifth more a row from 8 rows up than
// in statements of 1 to 4 rows (measured with better-sqlite3 on a file database).

/**
 * An INSERT of rows of `width` values, run in statements of a power of two rows up to
 * `maxRows` (itself a power of two): a few statement texts, each prepared once on SQLite. With
 * an upsert, no two rows of one call may share a key (PostgreSQL refuses to change a row twice
 * in one statement).
 */
export class RowsInsert {
	readonly #head: string;
	readonly #width: number;
	readonly #tail: string;
	readonly #maxRows: number;
	/** The statement text per power of two: [1 row, 2 rows, 4 rows, …]. */
	readonly #texts: string[] = [];

	/**
	 * `head`: up to VALUES (excluded); `width`: values a row; `tail`: what follows the rows
	 * (ON CONFLICT …), or ''. 32 rows of 11 values stay far below both engines' parameter limits.
	 */
	constructor(head: string, width: number, tail = '', maxRows = 32) {
		this.#head = head;
		this.#width = width;
		this.#tail = tail;
		this.#maxRows = maxRows;
	}

	#text(power: number): string {
		let text = this.#texts[power];
		if (text === undefined) {
			const row = `(${Array<string>(this.#width).fill('?').join(', ')})`;
			text = `${this.#head} VALUES ${Array<string>(1 << power)
				.fill(row)
				.join(', ')} ${this.#tail}`;
			this.#texts[power] = text;
		}
		return text;
	}

	/** Inserts the rows whose values follow one another in `values` (width each). */
	async run(db: Db, values: readonly unknown[]): Promise<void> {
		const width = this.#width;
		const rows = values.length / width;
		let at = 0;
		while (at < rows) {
			let power = 0;
			while (1 << (power + 1) <= Math.min(rows - at, this.#maxRows)) power++;
			const size = 1 << power;
			await sqlRun(db, this.#text(power), ...values.slice(at * width, (at + size) * width));
			at += size;
		}
	}
}

/**
 * An upsert of rows into `table`, each row its `key` columns, then its `added` columns, then its
 * `replaced` ones: a row whose key is stored adds its `added` values to the stored ones (counts
 * and sums) and overwrites the `replaced` ones.
 */
export function addingUpsert(
	table: string,
	key: string[],
	added: string[],
	replaced: string[] = []
): RowsInsert {
	const columns = [...key, ...added, ...replaced];
	const updates = [
		...added.map((column) => `${column} = ${table}.${column} + excluded.${column}`),
		...replaced.map((column) => `${column} = excluded.${column}`)
	];
	return new RowsInsert(
		`INSERT INTO ${table} (${columns.join(', ')})`,
		columns.length,
		`ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
	);
}
