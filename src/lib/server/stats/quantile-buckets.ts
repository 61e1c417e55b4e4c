import type { Db } from '../db';
import { sqlFirst, sqlRows, sqlRun } from '../db/statements';
import { addingUpsert, RowsInsert } from './insert-rows';
import { BUCKET_MAX, GROUP, groupKey } from './quantile-group';
import type { Bucket, GroupKey, QuantileGroup } from './quantile-group';
import { createRanges, GroupRanges } from './quantile-ranges';

// Order statistics of quantile metrics by rank, at a cost that does not grow with the values
// (a few hundred counted rows a lookup at 10^7 values a group; see "At ten million" below).
//
// Every value stays in `quantile_values`, whose index on (pilot, metric, phase, cohort, value)
// reads them in order. An index alone answers "the k-th smallest" only by stepping over k
// entries (OFFSET is O(k) in SQLite and in PostgreSQL: neither B-tree keeps counts): 0.12 s for
// the p90 of 500,000 values on our machines. So `quantile_buckets` keeps a counted level above
// that index: a group's values are cut into consecutive ranges [lo, next lo), each with its
// exact count and its smallest and largest value, and `quantile_ranges` (quantile-ranges.ts)
// counts runs of about 64 consecutive buckets. A rank is found by adding up range counts from the
// nearer end (a median passes half the range rows, a p90 a tenth), then the bucket counts of the
// range holding it, and then stepping at most one bucket (≤ BUCKET_MAX entries) into the value
// index. A bucket that outgrows BUCKET_MAX is cut
// in the insert's transaction at its sorted values, into buckets of about half as many; a range
// holding one repeated value is not cut (its values are known without a read).
//
// Chosen over the alternatives because it stays exact, lives in the database (every process,
// and later every PostgreSQL client, sees the same counts: no cache one process holds) and
// needs only plain tables and B-tree indexes, which both engines have:
// - OFFSET on the index alone: exact and simple, but O(rank): the cost of the report before.
// - per-day sorted runs merged on read: a report still reads every value (O(n) bytes).
// - fixed value buckets (a histogram with exact counts): a bucket holds whatever share of the
//   values its range happens to hold (a narrow distribution puts most of them in a few), so the
//   read inside it is O(n) again; cutting buckets where they fill up bounds it.
// - the running sum as a window function (sum(n) OVER (ORDER BY lo)): the same rows, but it
//   runs over every bucket of the group whatever the rank; counting in order and stopping
//   once past the ranks read a tenth of them for a p90 (0.3 ms against 3.7 ms over 1,430
//   buckets, measured side by side on a busy machine).
//
// Cost and memory: one bucket row (about 50 bytes with its key) per ~700 values, beside the
// ~113 bytes of each value row and its index entry (measured with dbstat). Nothing is kept in memory between requests;
// a report holds a few buckets and at most BUCKET_MAX values per group, and the page cache is
// SQLite's (2 MB by default), so 10^6 or 10^7 stored values cost the server no resident memory
// of their own. At ten million values in one group a median passes ~110 range rows and at most
// 128 bucket rows (instead of ~7,000 bucket rows with buckets alone).
//
// This file writes the buckets; quantile-ranks.ts reads values by rank through them. Callers
// use both through this one module.

export { BUCKET_MAX, type QuantileGroup } from './quantile-group';
export { valuesAtRanks } from './quantile-ranks';

const BUCKET_KEY = ['pilot_id', 'metric_key', 'phase', 'cohort', 'lo'];
const insertBuckets = new RowsInsert(
	`INSERT INTO quantile_buckets (${BUCKET_KEY.join(', ')}, n, min_value, max_value)`,
	8
);
/** Values counted into buckets that exist: n added, the new smallest and largest value. */
const countIntoBuckets = addingUpsert(
	'quantile_buckets',
	BUCKET_KEY,
	['n'],
	['min_value', 'max_value']
);

/**
 * Counts `values` (already inserted into `quantile_values`) into the group's buckets, cutting
 * those that outgrow BUCKET_MAX. Runs inside the caller's transaction.
 */
export async function addToBuckets(
	db: Db,
	pilotId: number,
	group: QuantileGroup,
	values: readonly number[]
): Promise<void> {
	if (values.length === 0) return;
	const key = groupKey(pilotId, group);
	/** The bucket holding a value, and where the next one starts (null: none above it). */
	const holding = (v: number) =>
		sqlFirst<Bucket & { next: number | null }>(
			db,
			`SELECT lo, n, min_value, max_value,
			        (SELECT lo FROM quantile_buckets WHERE ${GROUP} AND lo > b.lo ORDER BY lo LIMIT 1) AS next
			 FROM quantile_buckets b WHERE ${GROUP} AND lo <= ? ORDER BY lo DESC LIMIT 1`,
			...key,
			...key,
			v
		);
	const above = (v: number) =>
		sqlFirst<Bucket>(
			db,
			`SELECT lo, n, min_value, max_value FROM quantile_buckets WHERE ${GROUP} AND lo > ?
			 ORDER BY lo LIMIT 1`,
			...key,
			v
		);
	const sorted = Float64Array.from(values).sort();
	const started = await sqlFirst(
		db,
		`SELECT 1 AS one FROM quantile_buckets WHERE ${GROUP} LIMIT 1`,
		...key
	);
	if (started === undefined) {
		// A new group (or a rebuild): its buckets come from the sorted values at hand.
		const made: [number, number][] = [];
		const rows: unknown[] = [];
		for (const [from, to] of parts(sorted)) {
			rows.push(...key, sorted[from], to - from, sorted[from], sorted[to - 1]);
			made.push([sorted[from], to - from]);
		}
		await insertBuckets.run(db, rows);
		await createRanges(db, key, made);
		return;
	}
	const ranges = await GroupRanges.load(db, key);
	/** The counts of the buckets the values fall in, written after the loop in few upserts. */
	const counted: unknown[] = [];
	let i = 0;
	while (i < sorted.length) {
		const v = sorted[i];
		let bucket = await holding(v);
		if (bucket === undefined) {
			// Below every bucket: the lowest one reaches down to it, or the group starts here.
			const lowest = await above(v);
			if (lowest === undefined) {
				await insertBuckets.run(db, [...key, v, 0, v, v]);
				ranges.started(v);
				bucket = { lo: v, n: 0, min_value: v, max_value: v, next: null };
			} else {
				await sqlRun(
					db,
					`UPDATE quantile_buckets SET lo = ? WHERE ${GROUP} AND lo = ?`,
					v,
					...key,
					lowest.lo
				);
				ranges.lowered(v);
				const next = (await above(v))?.lo ?? null;
				bucket = { ...lowest, lo: v, next };
			}
		}
		const next = bucket.next ?? Infinity;
		let j = i + 1;
		while (j < sorted.length && sorted[j] < next) j++;
		const added = j - i;
		// The bucket was just read in this transaction: its new bounds are known here.
		const min = Math.min(bucket.min_value, sorted[i]);
		const max = Math.max(bucket.max_value, sorted[j - 1]);
		ranges.counted(bucket.lo, added);
		if (bucket.n + added > BUCKET_MAX && min < max) {
			// Cut from the values themselves (inserted already): its row goes, its parts come.
			ranges.cut(bucket.lo, await cut(db, key, bucket.lo, bucket.n + added));
		} else {
			// Written after the loop: no later read of it looks at a bucket's count or bounds (the
			// values go up, and each read finds the bucket at or above the last one's next).
			counted.push(...key, bucket.lo, added, min, max);
		}
		i = j;
	}
	await countIntoBuckets.run(db, counted);
	await ranges.save();
}

/**
 * Replaces the bucket at `lo` (holding n values) by buckets of about BUCKET_MAX / 2; how many.
 */
async function cut(db: Db, key: GroupKey, lo: number, n: number): Promise<number> {
	const values = (
		await sqlRows<{ value: number }>(
			db,
			`SELECT value FROM quantile_values WHERE ${GROUP} AND value >= ? ORDER BY value LIMIT ?`,
			...key,
			lo,
			n
		)
	).map((r) => r.value);
	await sqlRun(db, `DELETE FROM quantile_buckets WHERE ${GROUP} AND lo = ?`, ...key, lo);
	const made = parts(values);
	const rows: unknown[] = [];
	for (const [from, to] of made) {
		rows.push(...key, from === 0 ? lo : values[from], to - from, values[from], values[to - 1]);
	}
	await insertBuckets.run(db, rows);
	return made.length;
}

/**
 * Index ranges [from, to) of sorted `values` into parts of about BUCKET_MAX / 2, the last up to
 * BUCKET_MAX. Equal values stay in one part (a bucket is a range of values), so a part that
 * starts with a long run of one value ends where the run ends, however long.
 */
export function parts(values: ArrayLike<number>): [number, number][] {
	const result: [number, number][] = [];
	const half = BUCKET_MAX >> 1;
	let start = 0;
	while (values.length - start > BUCKET_MAX) {
		const at = values[start + half];
		let cutAt = start + half;
		while (cutAt > start && values[cutAt - 1] === at) cutAt--;
		if (cutAt === start) {
			cutAt = start + half + 1;
			while (cutAt < values.length && values[cutAt] === at) cutAt++;
			if (cutAt === values.length) break;
		}
		result.push([start, cutAt]);
		start = cutAt;
	}
	result.push([start, values.length]);
	return result;
}
