import type { DailyPoint } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { Db } from '../db';
import { sqlRows } from '../db/statements';
import { statsOfSums } from '../stats/rollup-stats';
import { keptUnder } from './kept';
import type { Cohort, Phase } from '$lib/domain/terms';

// The primary metric's per-day statistics (both cohorts), for the report's baseline trend,
// weekday mix and parallel-trends check: a few hundred `daily_stats` rows a pilot.
//
// Kept per connection and pilot between reports, day by day: after new data only the days whose
// rows changed are read again. Which days those are is read from the database on every call
// (`daily_versions`: per day, the data version of the last transaction that changed its rows,
// emptying included), in the caller's transaction with the pilot's data version. So a write by
// this process or by another instance on the same database (SQLite today; several app instances
// on one PostgreSQL later) is always seen: nothing kept here is trusted without asking the
// database what changed since it was read. A connection's rows for days no transaction has
// marked since they were read are the rows in the database, because every change marks its days.
// (Kept per connection on SQLite, per pool on PostgreSQL: kept.ts.)

/** Pilots kept per connection: a portfolio of a few dozen pilots fits. */
const CACHE_SIZE = 100;

interface Kept {
	/** The primary metric (its definition) the rows were read for. */
	metric: string;
	/** The pilot's data version they were read at. */
	version: number;
	/** In the key's order: phase, cohort, day. */
	points: readonly DailyPoint[];
	/** Distinct days among them. */
	days: number;
}

const caches = new WeakMap<object, Map<number, Kept>>();

interface Row {
	day: string;
	phase: Phase;
	cohort: Cohort;
	n: number;
	sum_x: number;
	sum_x2: number;
	sum_y?: number;
	sum_y2?: number;
	sum_xy?: number;
}

/**
 * The columns read: for a mean or proportion only the sums it uses (each column of a few
 * hundred rows costs more to hand to JavaScript than the query's own work).
 */
const columns = (kind: string): string =>
	`day, phase, cohort, n, sum_x, sum_x2${kind === 'ratio' ? ', sum_y, sum_y2, sum_xy' : ''}`;

/**
 * The primary metric's per-day points of the pilot at data `version` (read by the caller in
 * this transaction). Quantile metrics have none here (their per-day values are a read of every
 * value). In the key's order (phase, cohort, day), which the metrics core reads each phase and
 * cohort's days apart in. A new array whenever anything changed, the same one otherwise (the
 * metrics core keeps its trend analysis per array).
 */
export async function primaryDaily(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	version: number
): Promise<Record<string, DailyPoint[]>> {
	const primary = plan.metrics.find((m) => m.role === 'primary');
	if (primary === undefined || primary.kind === 'quantile') return {};
	let cache = caches.get(keptUnder(db));
	if (!cache) {
		cache = new Map();
		caches.set(keptUnder(db), cache);
	}
	const metric = JSON.stringify(primary);
	const kept = cache.get(pilotId);
	cache.delete(pilotId);
	let points: readonly DailyPoint[] | null = null;
	if (kept !== undefined && kept.metric === metric && kept.version === version) {
		points = kept.points;
	} else if (kept !== undefined && kept.metric === metric && kept.version < version) {
		// (A version below the kept one cannot happen: versions only rise and pilot ids are never
		// reused. Then, or with nothing kept for this metric, the days are read whole.)
		const changed = (
			await sqlRows<{ day: string }>(
				db,
				'SELECT day FROM daily_versions WHERE pilot_id = ? AND version > ?',
				pilotId,
				kept.version
			)
		).map((r) => r.day);
		if (changed.length === 0) points = kept.points;
		// Most days changed (a batch spread over the whole window): a read in the key's order
		// costs less than merging.
		else if (changed.length * 2 < kept.days) {
			points = await update(db, pilotId, primary, kept, changed);
		}
	}
	if (points === null) {
		const rows = await sqlRows<Row>(
			db,
			`SELECT ${columns(primary.kind)} FROM daily_stats WHERE pilot_id = ? AND metric_key = ?
			 ORDER BY phase, cohort, day`,
			pilotId,
			primary.key
		);
		points = rows.map((r) => point(primary.kind, r));
	}
	const days = points === kept?.points ? kept.days : new Set(points.map((p) => p.day)).size;
	cache.set(pilotId, { metric, version, points, days });
	while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
	return { [primary.key]: points as DailyPoint[] };
}

/** The kept points with those of the `changed` days read again; a new array. */
async function update(
	db: Db,
	pilotId: number,
	primary: PlanDefinition['metrics'][number],
	kept: Kept,
	changed: readonly string[]
): Promise<readonly DailyPoint[]> {
	const days = new Set(changed);
	const rows = await sqlRows<Row>(
		db,
		`SELECT ${columns(primary.kind)} FROM daily_stats WHERE pilot_id = ? AND metric_key = ? AND day IN
		   (SELECT day FROM daily_versions WHERE pilot_id = ? AND version > ?)
		 ORDER BY phase, cohort, day`,
		pilotId,
		primary.key,
		pilotId,
		kept.version
	);
	const unchanged = kept.points.filter((p) => !days.has(p.day));
	const read = rows.map((r) => point(primary.kind, r));
	// Both in the key's order: merged in one pass.
	const points: DailyPoint[] = [];
	let i = 0;
	let j = 0;
	while (i < unchanged.length || j < read.length) {
		const takeKept = j === read.length || (i < unchanged.length && before(unchanged[i], read[j]));
		points.push(takeKept ? unchanged[i++] : read[j++]);
	}
	return points;
}

/**
 * `a` comes first in the database's ORDER BY phase, cohort, day. Phases and cohorts are lower-case
 * words and days ISO dates of one length, which JavaScript, SQLite's binary collation and
 * PostgreSQL's collations (C or a language's) all put in the same order.
 */
const before = (a: DailyPoint, b: DailyPoint): boolean =>
	a.phase !== b.phase
		? a.phase < b.phase
		: a.cohort !== b.cohort
			? a.cohort < b.cohort
			: a.day < b.day;

/** One row as the metrics core's point: moments for a mean or proportion, a ratio's sums. */
function point(kind: PlanDefinition['metrics'][number]['kind'], r: Row): DailyPoint {
	const { day, phase, cohort, n, sum_x, sum_x2, sum_y, sum_y2, sum_xy } = r;
	return {
		day,
		phase,
		cohort,
		stats:
			kind === 'ratio'
				? statsOfSums('ratio', {
						n,
						sum_x,
						sum_x2,
						sum_y: sum_y!,
						sum_y2: sum_y2!,
						sum_xy: sum_xy!
					})
				: { type: 'moments', n, sum: sum_x, sumSquares: sum_x2 }
	};
}
