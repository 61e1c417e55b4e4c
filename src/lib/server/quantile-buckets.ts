import { statement, type Db } from './db';

// Order statistics of quantile metrics by rank, at a cost that does not grow with the values.
//
// Every value stays in `quantile_values`, whose index on (pilot, metric, phase, cohort, value)
// reads them in order. An index alone answers "the k-th smallest" only by stepping over k
// entries (OFFSET is O(k) in SQLite and in PostgreSQL: neither B-tree keeps counts), which is
// 0.1–0.2 s for a p90 over a million values. So `quantile_buckets` keeps a counted level above
// that index: the values of a group are cut into consecutive ranges [lo, next lo), each with
// its exact count (and its smallest and largest value). A rank is found by summing counts in
// the database (one window query over about n / 700 bucket rows) and then stepping at most one
// bucket (≤ BUCKET_MAX entries) into the value index. A bucket that outgrows BUCKET_MAX is cut
// in the insert's transaction, at its sorted values; a range holding one repeated value is not
// cut (its values are known without a read).
//
// Chosen over the alternatives because it stays exact, lives in the database (every process
// and, later, every PostgreSQL client sees the same counts: no cache one process holds) and
// uses plain tables, B-tree indexes and a window function that both engines have:
// - OFFSET on the index alone: exact and simple, but O(rank): the cost of today's report.
// - per-day sorted runs merged on read: a report still reads every value (O(n) bytes).
// - fixed value buckets (a histogram with exact counts): a bucket holds whatever share of the
//   values its range happens to hold (one bucket held 40% of a narrow distribution), so the
//   read inside it is O(n) again; cutting buckets where they fill up bounds it.
// Storage: 40-odd bytes per bucket row, one row per ~700 values (≈ 0.1 bytes per value beside
// the ~40 of the value row and its index). Memory: nothing is kept between requests; a
// report holds at most a few window rows and a few values per group.

/** Values per bucket above which it is cut (into buckets of about half as many). */
export const BUCKET_MAX = 1024;

/** One quantile metric's values in one phase and cohort. */
export interface QuantileGroup {
	readonly metricKey: string;
	readonly phase: 'baseline' | 'pilot';
	readonly cohort: 'ai' | 'control';
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
export function parts(values: readonly number[]): [number, number][] {
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
 * The values at the given 1-based ranks of a group (ranks past its count are left out): one
 * window query finds the buckets holding them, then one read per bucket steps into it.
 */
export function valuesAtRanks(
	db: Db,
	pilotId: number,
	group: QuantileGroup,
	ranks: readonly number[]
): Map<number, number> {
	const found = new Map<number, number>();
	if (ranks.length === 0) return found;
	const key = [pilotId, group.metricKey, group.phase, group.cohort] as const;
	const first = Math.min(...ranks);
	const last = Math.max(...ranks);
	const buckets = statement(
		db,
		`SELECT lo, n, min_value, max_value, upto FROM (
		   SELECT lo, n, min_value, max_value,
		          sum(n) OVER (ORDER BY lo ROWS UNBOUNDED PRECEDING) AS upto
		   FROM quantile_buckets WHERE ${GROUP})
		 WHERE upto >= ? AND upto - n < ? ORDER BY lo`
	).all(...key, first, last) as (Bucket & { upto: number })[];
	const read = statement(
		db,
		`SELECT value FROM quantile_values WHERE ${GROUP} AND value >= ?
		 ORDER BY value LIMIT ? OFFSET ?`
	).pluck();
	for (const bucket of buckets) {
		const before = bucket.upto - bucket.n;
		const inside = ranks.filter((r) => r > before && r <= bucket.upto).map((r) => r - before);
		if (inside.length === 0) continue;
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
