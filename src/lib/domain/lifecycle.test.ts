import { describe, expect, test } from 'vitest';
import { availableTransitions, type PilotFacts } from './lifecycle';

const ready: Omit<PilotFacts, 'stage'> = {
	readinessGaps: [],
	hasBaselineWindow: true,
	hasPilotWindow: true,
	hasPrimaryMetric: true,
	hasPrimaryBaseline: true
};

const gap = (field: 'problem' | 'roiIndicator' | 'businessOwner', message: string) => ({
	section: 'charter' as const,
	field,
	message
});

describe('stage transitions', () => {
	test.each([
		['draft', ['begin-baseline']],
		['baseline', ['start-pilot', 'reopen-draft']],
		['running', ['record-decision']],
		['decided', []]
	] as const)('at %s the actions are %j', (stage, actions) => {
		expect(availableTransitions({ stage, ...ready }).map((t) => t.transition.action)).toEqual(
			actions
		);
	});

	test.each([
		{
			name: 'draft without baseline window',
			facts: { stage: 'draft', ...ready, hasBaselineWindow: false },
			unmet: ['No baseline window set']
		},
		{
			name: 'draft without problem or ROI indicator',
			facts: {
				stage: 'draft',
				...ready,
				readinessGaps: [
					gap('problem', 'No concrete problem stated'),
					gap('roiIndicator', 'No ROI indicator chosen'),
					gap('businessOwner', 'No business owner')
				]
			},
			// the baseline may start without a business owner; the pilot may not
			unmet: ['No concrete problem stated', 'No ROI indicator chosen']
		},
		{
			name: 'baseline without readiness cannot start',
			facts: {
				stage: 'baseline',
				...ready,
				readinessGaps: [gap('businessOwner', 'No business owner')]
			},
			unmet: ['No business owner']
		},
		{
			name: 'baseline without pilot window cannot start',
			facts: { stage: 'baseline', ...ready, hasPilotWindow: false },
			unmet: ['No pilot window set']
		},
		{
			name: 'draft without a primary metric cannot begin the baseline',
			facts: { stage: 'draft', ...ready, hasPrimaryMetric: false, hasPrimaryBaseline: false },
			unmet: ['The measurement plan has no primary metric']
		},
		{
			name: 'baseline without a baseline for the primary metric cannot start',
			facts: { stage: 'baseline', ...ready, hasPrimaryBaseline: false },
			unmet: ['The primary metric has no baseline yet (baseline events or an entered summary)']
		},
		{ name: 'ready baseline can start', facts: { stage: 'baseline', ...ready }, unmet: [] }
	] as { name: string; facts: PilotFacts; unmet: string[] }[])('$name', ({ facts, unmet }) => {
		expect(availableTransitions(facts)[0].unmet).toEqual(unmet);
	});
});
