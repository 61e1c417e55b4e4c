import { describe, expect, test } from 'vitest';
import { charterSchema, governanceSchema, type Charter, type Governance } from '$lib/schemas/pilot';
import { readinessGaps, readinessItemCount } from './readiness';

const complete: { charter: Charter; governance: Governance } = {
	charter: charterSchema.parse({
		problem: 'Routing emails by hand',
		businessOwner: 'Laura',
		technicalOwner: 'Jordi',
		users: ['Tier-1 agents'],
		data: 'Zendesk',
		integration: 'Zendesk fields',
		risk: 'Misrouted urgent ticket',
		evaluation: 'Weekly review',
		roiIndicator: 'handling_time',
		adoption: 'Start from the suggested queue'
	}),
	governance: governanceSchema.parse({
		dataRead: 'Ticket text',
		actions: 'Set fields',
		approvalRequired: 'Closing tickets',
		logging: 'Audit trail',
		errorReviewer: 'Quality lead',
		killSwitch: 'Trigger off'
	})
};

/** The complete answers with one of them changed. */
function completeBut(
	section: keyof typeof complete,
	field: string,
	value: unknown
): typeof complete {
	return { ...complete, [section]: { ...complete[section], [field]: value } };
}

describe('readiness', () => {
	test('a complete charter and governance leave nothing missing', () => {
		expect(readinessGaps(complete.charter, complete.governance)).toEqual([]);
	});

	test('an empty pilot misses all sixteen items, charter first', () => {
		const gaps = readinessGaps(charterSchema.parse({}), governanceSchema.parse({}));
		expect(gaps).toHaveLength(readinessItemCount);
		expect(readinessItemCount).toBe(16);
		expect(gaps[0].section).toBe('charter');
		expect(gaps.at(-1)?.section).toBe('governance');
	});

	test.each([
		['charter', 'businessOwner', '', 'No business owner'],
		['charter', 'businessOwner', '   ', 'No business owner'],
		['charter', 'roiIndicator', '', 'No ROI indicator chosen'],
		['charter', 'users', [], 'No real users named'],
		['charter', 'users', ['  '], 'No real users named'],
		['charter', 'problem', '', 'No concrete problem stated'],
		['governance', 'errorReviewer', '', 'Governance: nobody named to review errors'],
		['governance', 'killSwitch', '', 'Governance: no way to switch it off described']
	] as const)('%s.%s = %j → “%s”', (section, field, value, message) => {
		const { charter, governance } = completeBut(section, field, value);
		expect(readinessGaps(charter, governance)).toEqual([{ section, field, message }]);
	});
});
