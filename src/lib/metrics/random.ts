/**
 * A small seeded PRNG (mulberry32) for simulations and benchmarks: the core itself draws no
 * random numbers, but its tests and benchmarks must be reproducible.
 */
export interface Random {
	/** Uniform in [0, 1). */
	uniform(): number;
	/** Standard normal (Box–Muller). */
	normal(): number;
	/** Exponential with the given mean. */
	exponential(mean: number): number;
}

export function seededRandom(seed: number): Random {
	let state = seed >>> 0;
	const uniform = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		uniform,
		normal: () => {
			const u = 1 - uniform();
			const v = uniform();
			return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
		exponential: (mean) => -mean * Math.log(1 - uniform())
	};
}
