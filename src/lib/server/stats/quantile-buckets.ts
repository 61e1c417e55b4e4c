import { statement, type Db } from '../db';
import type { Cohort, Phase } from '../../domain/terms';
import { createRanges, GroupRanges, holdingRanks, type GroupKey } from './quantile-ranges';

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

/** Values per bucket above which it is cut (into buckets of about half as many). */
export const BUCKET_MAX = 1024;

/** One quantile metric's values in one phase and cohort. */
export interface QuantileGroup {
	readonly metricKey: string;
	readonly phase: Phase;
	readonly cohort: Cohort;
}

const GROUP = 'pilot_id = ? AND metric_key = ? AND phase = ? AND cohort = ?';

interface Bucket {
	lo: number;
	n: number;
	min_value: number;
	max_value: number;
}

/**
 * Counts `values` (already inserted into `quantile_values`) into the group's buckets, cutting
 * those that outgrow BUCKET_MAX. Runs inside the caller's transaction.
 */
export function addToBuckets(
	db: Db,
	pilotId: number,
	group: QuantileGroup,
	values: readonly number[]
): void {
	if (values.length === 0) return;
	const key = [pilotId, group.metricKey, group.phase, group.cohort] as const;
	// The bucket holding a value, and where the next one starts (null: none above it).
	const holding = statement(
		db,
		`SELECT lo, n, min_value, max_value,
		        (SELECT lo FROM quantile_buckets WHERE ${GROUP} AND lo > b.lo ORDER BY lo LIMIT 1) AS next
		 FROM quantile_buckets b WHERE ${GROUP} AND lo <= ? ORDER BY lo DESC LIMIT 1`
	);
	const above = statement(
		db,
		`SELECT lo, n, min_value, max_value FROM quantile_buckets WHERE ${GROUP} AND lo > ?
		 ORDER BY lo LIMIT 1`
	);
	const lower = statement(db, `UPDATE quantile_buckets SET lo = ? WHERE ${GROUP} AND lo = ?`);
	const create = statement(
		db,
		`INSERT INTO quantile_buckets (pilot_id, metric_key, phase, cohort, lo, n, min_value, max_value)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const count = statement(
		db,
		`UPDATE quantile_buckets SET n = n + ?, min_value = min(min_value, ?), max_value = max(max_value, ?)
		 WHERE ${GROUP} AND lo = ?`
	);
	const sorted = Float64Array.from(values).sort();
	const started = statement(db, `SELECT 1 FROM quantile_buckets WHERE ${GROUP} LIMIT 1`);
	if (started.get(...key) === undefined) {
		// A new group (or a rebuild): its buckets come from the sorted values at hand.
		const made: [number, number][] = [];
		for (const [from, to] of parts(sorted)) {
			create.run(...key, sorted[from], to - from, sorted[from], sorted[to - 1]);
			made.push([sorted[from], to - from]);
		}
		createRanges(db, key, made);
		return;
	}
	const ranges = new GroupRanges(db, key);
	let i = 0;
	while (i < sorted.length) {
		const v = sorted[i];
		let bucket = holding.get(...key, ...key, v) as (Bucket & { next: number | null }) | undefined;
		if (bucket === undefined) {
			// Below every bucket: the lowest one reaches down to it, or the group starts here.
			const lowest = above.get(...key, v) as Bucket | undefined;
			if (lowest === undefined) {
				create.run(...key, v, 0, v, v);
				ranges.started(v);
				bucket = { lo: v, n: 0, min_value: v, max_value: v, next: null };
			} else {
				lower.run(v, ...key, lowest.lo);
				ranges.lowered(v);
				const next = (above.get(...key, v) as Bucket | undefined)?.lo ?? null;
				bucket = { ...lowest, lo: v, next };
			}
		}
		const next = bucket.next ?? Infinity;
		let j = i + 1;
		while (j < sorted.length && sorted[j] < next) j++;
		const added = j - i;
		const min = Math.min(bucket.min_value, sorted[i]);
		const max = Math.max(bucket.max_value, sorted[j - 1]);
		count.run(added, sorted[i], sorted[j - 1], ...key, bucket.lo);
		ranges.counted(bucket.lo, added);
		if (bucket.n + added > BUCKET_MAX && min < max) {
			ranges.cut(bucket.lo, cut(db, key, bucket.lo, bucket.n + added));
		}
		i = j;
	}
	ranges.save();
}

/**
 * Replaces the bucket at `lo` (holding n values) by buckets of about BUCKET_MAX / 2; how many.
 */
function cut(db: Db, key: GroupKey, lo: number, n: number): number {
	const values = statement(
		db,
		`SELECT value FROM quantile_values WHERE ${GROUP} AND value >= ? ORDER BY value LIMIT ?`
	)
		.pluck()
		.all(...key, lo, n) as number[];
	statement(db, `DELETE FROM quantile_buckets WHERE ${GROUP} AND lo = ?`).run(...key, lo);
	const create = statement(
		db,
		`INSERT INTO quantile_buckets (pilot_id, metric_key, phase, cohort, lo, n, min_value, max_value)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const made = parts(values);
	for (const [from, to] of made) {
		create.run(...key, from === 0 ? lo : values[from], to - from, values[from], values[to - 1]);
	}
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

/**
 * The values at the given 1-based ranks (within 1..n) of a group of n values: the range rows
 * are read in order from the end nearer the ranks (a p90 reads a tenth of them) until the
 * ranks are passed, then the bucket rows of each range holding a rank, in order until past
 * them, then one read per bucket holding a rank steps into it.
 */
export function valuesAtRanks(
	db: Db,
	pilotId: number,
	group: QuantileGroup,
	n: number,
	ranks: readonly number[]
): Map<number, number> {
	const found = new Map<number, number>();
	if (ranks.length === 0) return found;
	const key = [pilotId, group.metricKey, group.phase, group.cohort] as const;
	const first = Math.min(...ranks);
	const last = Math.max(...ranks);
	const fromTop = first + last > n + 1;
	const ranges = statement(
		db,
		`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} ORDER BY lo ${fromTop ? 'DESC' : 'ASC'}`
	);
	// Inside a range (≤ 2 × RANGE_SIZE buckets), the database adds up the counts and hands over
	// only the buckets holding a rank in [first, last]: handing every bucket row to JavaScript
	// cost more than the sum. Window functions: SQLite ≥ 3.25 and PostgreSQL alike.
	const holdingIn = statement(
		db,
		`SELECT lo, n, min_value, max_value, before FROM (
		   SELECT lo, n, min_value, max_value, ? + sum(n) OVER (ORDER BY lo ROWS UNBOUNDED PRECEDING) - n AS before
		   FROM (SELECT lo, n, min_value, max_value FROM quantile_buckets WHERE ${GROUP} AND lo >= ?
		         ORDER BY lo LIMIT ?))
		 WHERE before < ? AND before + n >= ? ORDER BY lo`
	);
	/** Buckets holding a rank, with the number of values below each. */
	const holding: (Bucket & { before: number })[] = [];
	const rangeRows = ranges.iterate(...key) as IterableIterator<{
		lo: number;
		n: number;
		buckets: number;
	}>;
	for (const range of holdingRanks(rangeRows, n, first, last, fromTop)) {
		const rows = holdingIn.all(range.before, ...key, range.lo, range.buckets, last, first);
		holding.push(...(rows as (Bucket & { before: number })[]));
	}
	const read = statement(
		db,
		`SELECT value FROM quantile_values WHERE ${GROUP} AND value >= ?
		 ORDER BY value LIMIT ? OFFSET ?`
	).pluck();
	for (const bucket of holding) {
		const { before } = bucket;
		const inside = ranks.filter((r) => r > before && r <= before + bucket.n).map((r) => r - before);
		const missing: number[] = [];
		for (const k of inside) {
			if (bucket.min_value === bucket.max_value || k === 1) found.set(before + k, bucket.min_value);
			else if (k === bucket.n) found.set(before + k, bucket.max_value);
			else missing.push(k);
		}
		// Ranks far apart in one bucket are read apart: stepping over index entries is cheap,
		// handing every value in between to JavaScript is not.
		for (const [from, to] of clusters(missing)) {
			const values = read.all(...key, bucket.lo, to - from + 1, from - 1) as number[];
			for (const k of missing) if (k >= from && k <= to) found.set(before + k, values[k - from]);
		}
	}
	return found;
}

/** Ranks within a bucket, sorted and cut where two lie more than CLUSTER_GAP apart: [from, to]. */
function clusters(ranks: readonly number[]): [number, number][] {
	const sorted = [...ranks].sort((a, b) => a - b);
	const result: [number, number][] = [];
	for (const k of sorted) {
		const last = result.at(-1);
		if (last !== undefined && k - last[1] <= CLUSTER_GAP) last[1] = k;
		else result.push([k, k]);
	}
	return result;
}

/** Values read in between two ranks rather than a second read (each read costs ~ this many). */
const CLUSTER_GAP = 64;
