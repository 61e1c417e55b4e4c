/**
 * A segment as people read it: its name, or “other” with the segments pooled into it. A module
 * of its own so that browser code can use it without the statistics.
 */
export function segmentName(s: {
	readonly segment: string;
	readonly pooled: readonly string[];
}): string {
	return s.pooled.length > 0 ? `“other” (${s.pooled.join(', ')})` : s.segment;
}
