// The six governance questions of docs/design.md, once: the pilot form asks them, readiness
// names the unanswered ones, the recommendation's reasons and the CLI say which are missing.

export interface GovernanceItem {
	/** The field of the pilot's `governance` object. */
	readonly key: string;
	/** The form's label. */
	readonly label: string;
	/** The question the form asks. */
	readonly question: string;
	/** What the item is about, as the reasons and the CLI name a missing one. */
	readonly topic: string;
	/** The readiness checklist's sentence when it is unanswered. */
	readonly missing: string;
	/** Whether the answer is a paragraph rather than a name. */
	readonly multiline: boolean;
}

export const governanceItems = [
	{
		key: 'dataRead',
		label: 'Data it may read',
		question: 'Which data may it read?',
		topic: 'which data it may read',
		missing: 'Governance: which data it may read is not stated',
		multiline: true
	},
	{
		key: 'actions',
		label: 'Actions it may execute',
		question: 'Which actions may it execute?',
		topic: 'which actions it may execute',
		missing: 'Governance: which actions it may execute is not stated',
		multiline: true
	},
	{
		key: 'approvalRequired',
		label: 'Human approval',
		question: 'Which actions need human approval?',
		topic: 'which actions need human approval',
		missing: 'Governance: which actions need human approval is not stated',
		multiline: true
	},
	{
		key: 'logging',
		label: 'Logging',
		question: 'How are its decisions logged?',
		topic: 'how its decisions are logged',
		missing: 'Governance: how its decisions are logged is not stated',
		multiline: true
	},
	{
		key: 'errorReviewer',
		label: 'Error reviewer',
		question: 'Who reviews its errors?',
		topic: 'who reviews errors',
		missing: 'Governance: nobody named to review errors',
		multiline: false
	},
	{
		key: 'killSwitch',
		label: 'Kill switch',
		question: 'How is it switched off?',
		topic: 'how it is switched off',
		missing: 'Governance: no way to switch it off described',
		multiline: true
	}
] as const satisfies readonly GovernanceItem[];

export type GovernanceKey = (typeof governanceItems)[number]['key'];

const answered = (answer: unknown): boolean => typeof answer === 'string' && answer.trim() !== '';

/** The governance items a pilot has not answered (any object, as the CLI reads files). */
export function unansweredGovernance(governance: unknown): GovernanceItem[] {
	const answers = (
		typeof governance === 'object' && governance !== null ? governance : {}
	) as Record<string, unknown>;
	return governanceItems.filter((item) => !answered(answers[item.key]));
}

/** Governance answers missing from a pilot definition's `governance` object, in words. */
export function missingGovernance(governance: unknown): string[] {
	return unansweredGovernance(governance).map((item) => item.topic);
}
