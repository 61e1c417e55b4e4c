import { baselineStartMs, pilotEndMs, type TestEvent } from './model';

/** mulberry32: a small seeded generator, so a drill with the same seed sends the same events. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const between = (random: () => number, min: number, max: number): number =>
	min + Math.floor(random() * (max - min + 1));

/** A batch of new events with ids `<prefix>-<i>`, integer measures, inside the plan's windows. */
export function randomBatch(random: () => number, prefix: string, size: number): TestEvent[] {
	return Array.from({ length: size }, (_, i) => ({
		id: `${prefix}-${i}`,
		occurredAt: new Date(between(random, baselineStartMs, pilotEndMs - 1)).toISOString(),
		cohort: random() < 0.2 ? ('control' as const) : ('ai' as const),
		measures: {
			handling_minutes: between(random, 1, 120),
			error: random() < 0.1 ? 1 : 0,
			...(random() < 0.8
				? { cost_eur: between(random, 1, 60), resolved: random() < 0.9 ? 1 : 0 }
				: {}),
			first_response_minutes: between(random, 0, 600)
		}
	}));
}
