import type { Db } from '../db';
import { sqlRows, sqlRun } from '../db/statements';
import { RowsInsert } from './insert-rows';
import { GROUP, type GroupKey } from './quantile-group';

// The second counted level over the quantile buckets (quantile-buckets.ts): `quantile_ranges`
// keeps, per run of about RANGE_SIZE consecutive buckets of a group, how many buckets and values
// it holds. A rank lookup adds up range counts from the nearer end and then the bucket counts of
// the one range holding the rank, instead of the bucket counts of half the group for a median:
// at 10^6 values in a group (~1,400 buckets) ~20 range rows and ≤ 2 × RANGE_SIZE bucket rows
// instead of ~700 bucket rows; at 10^7, a few hundred rows instead of ~7,000.
//
// Like the buckets, the ranges live in the database and change in the insert's transaction:
// every process, and every PostgreSQL client of one database, reads the same counts, so
// nothing has to be trusted that only one process could have kept up to date.
//
// A range starts at its first bucket's lo and holds the buckets whose lo lies below the next
// range's lo. Buckets only ever appear by cutting one (the new ones take its place, inside its
// range), or as a group's first; only the lowest bucket's lo is ever lowered (with its range's).

/** Buckets per range as ranges are made; a range is cut into such ranges past twice as many. */
export const RANGE_SIZE = 64;

interface Range {
	/** The lo it is stored under (the row's key), and the lo it has now. */
	stored: number | null;
	lo: number;
	n: number;
	buckets: number;
	changed: boolean;
}

/**
 * The ranges of one group while `addToBuckets` changes its buckets: read once (`load`), changed
 * in memory as the buckets change, written back by `save()`. Lives only for the caller's
 * transaction (nothing is kept between requests).
 */
export class GroupRanges {
	readonly #db: Db;
	readonly #key: GroupKey;
	/** In lo order. */
	readonly #ranges: Range[];

	private constructor(db: Db, key: GroupKey, ranges: Range[]) {
		this.#db = db;
		this.#key = key;
		this.#ranges = ranges;
	}

	/** The group's ranges as stored, in the caller's transaction. */
	static async load(db: Db, key: GroupKey): Promise<GroupRanges> {
		const rows = await sqlRows<{ lo: number; n: number; buckets: number }>(
			db,
			`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} ORDER BY lo`,
			...key
		);
		return new GroupRanges(
			db,
			key,
			rows.map((r) => ({ stored: r.lo, ...r, changed: false }))
		);
	}

	/** The range holding the bucket at `lo`: the last one starting at or below it. */
	#holding(lo: number): Range {
		const ranges = this.#ranges;
		let low = 0;
		let high = ranges.length - 1;
		if (high < 0 || ranges[0].lo > lo) throw new Error('a bucket below every range');
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (ranges[mid].lo <= lo) low = mid;
			else high = mid - 1;
		}
		return ranges[low];
	}

	/** A new bucket that starts the group (its first). */
	started(lo: number): void {
		if (this.#ranges.length > 0) throw new Error('the group has ranges already');
		this.#ranges.push({ stored: null, lo, n: 0, buckets: 1, changed: true });
	}

	/** The lowest bucket's lo was lowered to `lo`: so is its range's. */
	lowered(lo: number): void {
		const lowest = this.#ranges[0];
		lowest.lo = lo;
		lowest.changed = true;
	}

	/** `added` values were counted into the bucket at `lo`. */
	counted(lo: number, added: number): void {
		const range = this.#holding(lo);
		range.n += added;
		range.changed = true;
	}

	/** The bucket at `lo` was cut into `made` buckets (the first one keeps its lo). */
	cut(lo: number, made: number): void {
		const range = this.#holding(lo);
		range.buckets += made - 1;
		range.changed = true;
	}

	/** Writes the changed ranges back, cutting those past 2 × RANGE_SIZE buckets. */
	async save(): Promise<void> {
		const db = this.#db;
		const key = this.#key;
		for (const range of this.#ranges) {
			if (!range.changed) continue;
			if (range.buckets > 2 * RANGE_SIZE) {
				if (range.stored !== null) {
					await sqlRun(
						db,
						`DELETE FROM quantile_ranges WHERE ${GROUP} AND lo = ?`,
						...key,
						range.stored
					);
				}
				const buckets = await sqlRows<{ lo: number; n: number }>(
					db,
					`SELECT lo, n FROM quantile_buckets WHERE ${GROUP} AND lo >= ? ORDER BY lo LIMIT ?`,
					...key,
					range.lo,
					range.buckets
				);
				await createRanges(
					db,
					key,
					buckets.map((b) => [b.lo, b.n] as const)
				);
			} else if (range.stored === null) {
				await insertRanges.run(db, [...key, range.lo, range.n, range.buckets]);
			} else {
				await sqlRun(
					db,
					`UPDATE quantile_ranges SET lo = ?, n = ?, buckets = ? WHERE ${GROUP} AND lo = ?`,
					range.lo,
					range.n,
					range.buckets,
					...key,
					range.stored
				);
			}
		}
	}
}

const insertRanges = new RowsInsert(
	'INSERT INTO quantile_ranges (pilot_id, metric_key, phase, cohort, lo, n, buckets)',
	7
);

/**
 * Stores the ranges of consecutive buckets ([lo, n] in lo order): RANGE_SIZE buckets each, the
 * last up to 2 × RANGE_SIZE.
 */
export async function createRanges(
	db: Db,
	key: GroupKey,
	buckets: readonly (readonly [number, number])[]
): Promise<void> {
	const values: unknown[] = [];
	let start = 0;
	while (start < buckets.length) {
		const end = buckets.length - start > 2 * RANGE_SIZE ? start + RANGE_SIZE : buckets.length;
		let n = 0;
		for (let i = start; i < end; i++) n += buckets[i][1];
		values.push(...key, buckets[start][0], n, end - start);
		start = end;
	}
	await insertRanges.run(db, values);
}

/** A range, or a bucket, with the number of values of its group below it. */
export type Counted<T> = T & { before: number };

/**
 * The rows holding a rank in [first, last] of a group of n values, from rows with counts `n` in
 * value order (from the top when `fromTop`: then in descending order); stops once past the
 * ranks. `below`: values before the first row (counted from the bottom).
 */
export function holdingRanks<T extends { n: number }>(
	rows: Iterable<T>,
	n: number,
	first: number,
	last: number,
	fromTop: boolean,
	below = 0
): Counted<T>[] {
	const holding: Counted<T>[] = [];
	let passed = below;
	for (const row of rows) {
		const before = fromTop ? n - passed - row.n : passed;
		passed += row.n;
		if (before < last && before + row.n >= first) holding.push({ ...row, before });
		if (fromTop ? before < first : before + row.n >= last) break;
	}
	return holding;
}
