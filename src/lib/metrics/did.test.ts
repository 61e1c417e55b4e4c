import { describe, expect, it } from 'vitest';
import { differenceInDifferences } from './did';
import { estimatePhase } from './phase-estimate';
import { DEFAULT_SETTINGS } from './settings';
import { momentsOf } from './sufficient-stats';

const est = (values: number[]) => estimatePhase(momentsOf(values), 'mean', DEFAULT_SETTINGS);

describe('differenceInDifferences', () => {
	it('removes the control cohort’s change and widens the interval accordingly', () => {
		const aiB = est([14.5, 12, 16.25, 13, 15.5, 11.75, 14, 17, 12.5, 13.75, 15, 14.25]);
		const aiP = est([10, 9.5, 11.25, 8.75, 10.5, 9, 12, 10.25, 9.75, 11]);
		const cB = est([14, 15, 13, 16]);
		const cP = est([13.5, 14, 12.5, 15]);
		const did = differenceInDifferences(aiB, aiP, cB, cP, DEFAULT_SETTINGS)!;
		expect(did.controlChange).toBeCloseTo(-0.75, 12);
		expect(did.change.estimate).toBeCloseTo(-3.175, 12);
		// numpy variances + mpmath t quantile on the generalised Welch–Satterthwaite df.
		expect(did.change.ci95![0]).toBeCloseTo(-5.377969451589637, 9);
		expect(did.change.ci95![1]).toBeCloseTo(-0.9720305484103646, 9);
	});

	it('is null when a group has fewer than two cases', () => {
		const two = est([1, 2]);
		expect(differenceInDifferences(two, two, two, est([1]), DEFAULT_SETTINGS)).toBeNull();
	});
});
