import { statement, type Db } from '../db';
import type { Cohort, Phase } from '../../domain/terms';

// Order statistics of quantile metrics by rank, at a cost that does not grow with the values
// (up to about 10^6 values a group; see "At ten million" below).
//
// Every value stays in `quantile_values`, whose index on (pilot, metric, phase, cohort, value)
// reads them in order. An index alone answers "the k-th smallest" only by stepping over k
// entries (OFFSET is O(k) in SQLite and in PostgreSQL: neither B-tree keeps counts): 0.12 s for
// the p90 of 500,000 values on our machines. So `quantile_buckets` keeps a counted level above
// that index: a group's values are cut into consecutive ranges [lo, next lo), each with its
// exact count and its smallest and largest value. A rank is found by adding up counts from the
// nearer end (a median passes half the bucket rows, a p90 a tenth) and then stepping at most one
// bucket (≤ BUCKET_MAX entries) into the value index. A bucket that outgrows BUCKET_MAX is cut
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
// of their own. At ten million values in one group the bucket rows passed grow to ~14,000 for
// a median (milliseconds, linear in n / 700); a second counted level (a row per ~64 buckets)
// would bring that back to a few hundred rows, should one pilot collect that many.

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
		for (const [from, to] of parts(sorted)) {
			create.run(...key, sorted[from], to - from, sorted[from], sorted[to - 1]);
		}
		return;
	}
	let i = 0;
	while (i < sorted.length) {
		const v = sorted[i];
		let bucket = holding.get(...key, ...key, v) as (Bucket & { next: number | null }) | undefined;
		if (bucket === undefined) {
			// Below every bucket: the lowest one reaches down to it, or the group starts here.
			const lowest = above.get(...key, v) as Bucket | undefined;
			if (lowest === undefined) {
				create.run(...key, v, 0, v, v);
				bucket = { lo: v, n: 0, min_value: v, max_value: v, next: null };
			} else {
				lower.run(v, ...key, lowest.lo);
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
		if (bucket.n + added > BUCKET_MAX && min < max) cut(db, key, bucket.lo, bucket.n + added);
		i = j;
	}
}

/** Replaces the bucket at `lo` (holding n values) by buckets of about BUCKET_MAX / 2. */
function cut(db: Db, key: readonly [number, string, string, string], lo: number, n: number): void {
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
	for (const [from, to] of parts(values)) {
		create.run(...key, from === 0 ? lo : values[from], to - from, values[from], values[to - 1]);
	}
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
 * The values at the given 1-based ranks (within 1..n) of a group of n values: the bucket rows
 * are read in order from the end nearer the ranks (a p90 reads a tenth of them) until the
 * ranks are passed, then one read per bucket holding a rank steps into it.
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
	const buckets = statement(
		db,
		`SELECT lo, n, min_value, max_value FROM quantile_buckets WHERE ${GROUP}
		 ORDER BY lo ${fromTop ? 'DESC' : 'ASC'}`
	);
	/** Buckets holding a rank, with the number of values below each. */
	const holding: (Bucket & { before: number })[] = [];
	let passed = 0;
	for (const bucket of buckets.iterate(...key) as IterableIterator<Bucket>) {
		const before = fromTop ? n - passed - bucket.n : passed;
		passed += bucket.n;
		if (before < last && before + bucket.n >= first) holding.push({ ...bucket, before });
		if (fromTop ? before < first : before + bucket.n >= last) break;
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
		if (missing.length === 0) continue;
		const from = Math.min(...missing);
		const values = read.all(
			...key,
			bucket.lo,
			Math.max(...missing) - from + 1,
			from - 1
		) as number[];
		for (const k of missing) found.set(before + k, values[k - from]);
	}
	return found;
}
