/** The six governance questions of docs/design.md, by the field names of the pilot definition. */
export const GOVERNANCE_ITEMS = {
	dataRead: 'which data it may read',
	actions: 'which actions it may execute',
	approvalRequired: 'which actions need human approval',
	logging: 'how its decisions are logged',
	errorReviewer: 'who reviews errors',
	killSwitch: 'how it is switched off'
} as const;

/** Governance answers missing from a pilot definition's `governance` object, in words. */
export function missingGovernance(governance: unknown): string[] {
	const answers = (
		typeof governance === 'object' && governance !== null ? governance : {}
	) as Record<string, unknown>;
	return Object.entries(GOVERNANCE_ITEMS)
		.filter(([key]) => {
			const answer = answers[key];
			return typeof answer !== 'string' || answer.trim() === '';
		})
		.map(([, words]) => words);
}
