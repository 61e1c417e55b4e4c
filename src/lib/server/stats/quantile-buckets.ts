import type { Db } from '../db';
import { sqlFirst, sqlRows, sqlRun } from '../db/statements';
import { RowsInsert } from './insert-rows';
import type { Cohort, Phase } from '../../domain/terms';
import {
	createRanges,
	GroupRanges,
	holdingRanks,
	RANGE_SIZE,
	type GroupKey
} from './quantile-ranges';

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

const BUCKET_COLUMNS = 'pilot_id, metric_key, phase, cohort, lo, n, min_value, max_value';
const insertBuckets = new RowsInsert(`INSERT INTO quantile_buckets (${BUCKET_COLUMNS})`, 8);
/** Values counted into buckets that exist: n added, the new smallest and largest value. */
const countIntoBuckets = new RowsInsert(
	`INSERT INTO quantile_buckets (${BUCKET_COLUMNS})`,
	8,
	`ON CONFLICT (pilot_id, metric_key, phase, cohort, lo) DO UPDATE SET
	 n = quantile_buckets.n + excluded.n, min_value = excluded.min_value, max_value = excluded.max_value`
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
	const key = [pilotId, group.metricKey, group.phase, group.cohort] as const;
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

/**
 * The values at the given 1-based ranks (within 1..n) of a group of n values: the range rows
 * are read in order from the end nearer the ranks (a p90 reads a tenth of them) until the
 * ranks are passed, then the bucket rows of each range holding a rank, in order until past
 * them, then one read per bucket holding a rank steps into it.
 */
export async function valuesAtRanks(
	db: Db,
	pilotId: number,
	group: QuantileGroup,
	n: number,
	ranks: readonly number[]
): Promise<Map<number, number>> {
	const found = new Map<number, number>();
	if (ranks.length === 0) return found;
	const key = [pilotId, group.metricKey, group.phase, group.cohort] as const;
	const first = Math.min(...ranks);
	const last = Math.max(...ranks);
	const fromTop = first + last > n + 1;
	const rangeRows = await nearerRanges(db, key, fromTop, fromTop ? n - first + 1 : last);
	/** Buckets holding a rank, with the number of values below each. */
	const holding: (Bucket & { before: number })[] = [];
	for (const range of holdingRanks(rangeRows, n, first, last, fromTop)) {
		// Inside a range (≤ 2 × RANGE_SIZE buckets), the database adds up the counts and hands
		// over only the buckets holding a rank in [first, last]: handing every bucket row to
		// JavaScript cost more than the sum. Window functions: SQLite ≥ 3.25 and PostgreSQL alike.
		const rows = await sqlRows<Bucket & { before: number }>(
			db,
			`SELECT lo, n, min_value, max_value, before FROM (
			   SELECT lo, n, min_value, max_value,
			          ? + sum(n) OVER (ORDER BY lo ROWS UNBOUNDED PRECEDING) - n AS before
			   FROM (SELECT lo, n, min_value, max_value FROM quantile_buckets WHERE ${GROUP} AND lo >= ?
			         ORDER BY lo LIMIT ?) AS range_buckets) AS counted
			 WHERE before < ? AND before + n >= ? ORDER BY lo`,
			range.before,
			...key,
			range.lo,
			range.buckets,
			last,
			first
		);
		holding.push(...rows);
	}
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
			const values = await sqlRows<{ value: number }>(
				db,
				`SELECT value FROM quantile_values WHERE ${GROUP} AND value >= ?
				 ORDER BY value LIMIT ? OFFSET ?`,
				...key,
				bucket.lo,
				to - from + 1,
				from - 1
			);
			for (const k of missing) {
				if (k >= from && k <= to) found.set(before + k, values[k - from].value);
			}
		}
	}
	return found;
}

interface RangeRow {
	lo: number;
	n: number;
	buckets: number;
}

/** The range rows of a group from the bottom, or from the top, in pages: LIMIT, or lo, LIMIT. */
const RANGE_PAGES = {
	bottom: [
		`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} ORDER BY lo LIMIT ?`,
		`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} AND lo > ? ORDER BY lo LIMIT ?`
	],
	top: [
		`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} ORDER BY lo DESC LIMIT ?`,
		`SELECT lo, n, buckets FROM quantile_ranges WHERE ${GROUP} AND lo < ? ORDER BY lo DESC LIMIT ?`
	]
} as const;

/**
 * The group's range rows from the bottom (or the top) until they hold `values` values: one read
 * as a rule, of as many rows as ranges made of buckets half full would need, and twice as many
 * again while that was too few.
 */
async function nearerRanges(
	db: Db,
	key: GroupKey,
	fromTop: boolean,
	values: number
): Promise<RangeRow[]> {
	const [start, next] = RANGE_PAGES[fromTop ? 'top' : 'bottom'];
	const rows: RangeRow[] = [];
	let limit = Math.ceil(values / (RANGE_SIZE * (BUCKET_MAX >> 1))) + 1;
	let passed = 0;
	for (;;) {
		const page =
			rows.length === 0
				? await sqlRows<RangeRow>(db, start, ...key, limit)
				: await sqlRows<RangeRow>(db, next, ...key, rows[rows.length - 1].lo, limit);
		for (const row of page) {
			rows.push(row);
			passed += row.n;
		}
		if (page.length < limit || passed >= values) return rows;
		limit *= 2;
	}
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
