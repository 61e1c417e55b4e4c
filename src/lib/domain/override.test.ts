import { describe, expect, it } from 'vitest';
import { isOverride, overrideRationaleProblem } from './override';

describe('override rationale', () => {
	it('a decision other than the stored recommendation is an override', () => {
		expect(isOverride('scale', 'scale')).toBe(false);
		expect(isOverride('discard', 'keep_measuring')).toBe(true);
		expect(isOverride('scale', null)).toBe(false);
	});

	it.each([
		['', false],
		['x'.repeat(60), false],
		['Too short to weigh.', false],
		['ok ok ok ok ok ok ok ok', false],
		['The vendor ends the product; measuring further has no use.', true],
		['Le fournisseur arrête le produit : mesurer davantage ne sert plus à rien.', true]
	])('%j is enough: %s', (rationale, enough) => {
		expect(overrideRationaleProblem(rationale, 'keep_measuring') === null).toBe(enough);
	});

	it('names the recommendation and the rule in the message', () => {
		expect(overrideRationaleProblem('no', 'keep_measuring')).toBe(
			'This decision overrides the analysis (the recommendation is “keep measuring”): explain in at least 8 words (40 characters) what the numbers miss or what weighs more than them.'
		);
		expect(overrideRationaleProblem('no', null)).toContain('there is no recommendation yet');
	});
});
