import { expect } from 'vitest';
import type { MetricDefinition, PlanDefinition } from '../../src/lib/schemas/plan';
import type { Sums } from '../../src/lib/server/ingest/batch-rollup';
import { add } from './reliability/model';

// A rollup's sums checked against the stored events: recomputed the plain way, compared to
// rounding.

/**
 * Sums recomputed from stored events, written out independently of ingestion: each metric of
 * the plan an event has the measures of adds to the sums under `keyOf` (null: it counts nowhere).
 */
export function recomputedSums<R extends { measures: string }>(
	rows: readonly R[],
	plan: PlanDefinition,
	keyOf: (metric: MetricDefinition, row: R) => string | null
): Map<string, Sums> {
	const sums = new Map<string, Sums>();
	for (const row of rows) {
		const measures = JSON.parse(row.measures) as Record<string, number>;
		for (const metric of plan.metrics) {
			const key = keyOf(metric, row);
			if (key === null) continue;
			const x = measures[(metric.kind === 'ratio' ? metric.numerator : metric.measure)!];
			const y = metric.kind === 'ratio' ? measures[metric.denominator!] : 0;
			if (x === undefined || y === undefined) continue;
			add(sums, key, x, y);
		}
	}
	return sums;
}

/** The same keys, the same counts, and sums equal to rounding (the order of adding differs). */
export function expectSameSums(got: Map<string, Sums>, want: Map<string, Sums>): void {
	expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
	for (const [key, w] of want) {
		const g = got.get(key)!;
		expect(g.n, key).toBe(w.n);
		for (const field of ['sumX', 'sumX2', 'sumY', 'sumY2', 'sumXY'] as const) {
			expect(g[field], `${key} ${field}`).toBeCloseTo(w[field], 6);
		}
	}
}
