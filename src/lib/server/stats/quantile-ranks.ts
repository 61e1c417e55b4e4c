import type { Db } from '../db';
import { sqlRows } from '../db/statements';
import { BUCKET_MAX, GROUP, groupKey } from './quantile-group';
import type { Bucket, GroupKey, QuantileGroup } from './quantile-group';
import { holdingRanks, RANGE_SIZE } from './quantile-ranges';

// Reading a group's values by rank: the range rows from the nearer end, the bucket counts of
// the ranges holding the ranks, then a step into the value index inside each bucket holding one
// (why this way and what it costs: quantile-buckets.ts).

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
	const key = groupKey(pilotId, group);
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
