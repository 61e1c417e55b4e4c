import type { Charter, Governance } from '../schemas/pilot';
import { governanceItems } from './governance';

// Readiness = every charter question and every governance item answered. The app names
// exactly what is missing, in the words a pilot owner would use.

export interface ReadinessGap {
	section: 'charter' | 'governance';
	field: keyof Charter | keyof Governance;
	message: string;
}

type Check<T> = { field: keyof T; message: string; answered: (value: T) => boolean };

const filled = (text: string): boolean => text.trim().length > 0;

const charterChecks: Check<Charter>[] = [
	{ field: 'problem', message: 'No concrete problem stated', answered: (c) => filled(c.problem) },
	{
		field: 'businessOwner',
		message: 'No business owner',
		answered: (c) => filled(c.businessOwner)
	},
	{
		field: 'technicalOwner',
		message: 'No technical owner',
		answered: (c) => filled(c.technicalOwner)
	},
	{ field: 'users', message: 'No real users named', answered: (c) => c.users.some(filled) },
	{
		field: 'data',
		message: 'No reliable data source named',
		answered: (c) => filled(c.data)
	},
	{
		field: 'integration',
		message: 'No integration: which tool the user works in',
		answered: (c) => filled(c.integration)
	},
	{
		field: 'risk',
		message: 'No risk stated: what happens if the AI is wrong',
		answered: (c) => filled(c.risk)
	},
	{
		field: 'evaluation',
		message: 'No evaluation: how quality is measured before scaling',
		answered: (c) => filled(c.evaluation)
	},
	{
		field: 'roiIndicator',
		message: 'No ROI indicator chosen',
		answered: (c) => filled(c.roiIndicator)
	},
	{
		field: 'adoption',
		message: 'No adoption plan: what changes in daily work',
		answered: (c) => filled(c.adoption)
	}
];

const governanceChecks: Check<Governance>[] = governanceItems.map((item) => ({
	field: item.key,
	message: item.missing,
	answered: (g) => filled(g[item.key])
}));

export const readinessItemCount = charterChecks.length + governanceChecks.length;

/** What is still missing before the pilot is ready to start; empty when ready. */
export function readinessGaps(charter: Charter, governance: Governance): ReadinessGap[] {
	const gaps: ReadinessGap[] = [];
	for (const check of charterChecks) {
		if (!check.answered(charter)) gaps.push({ section: 'charter', ...pick(check) });
	}
	for (const check of governanceChecks) {
		if (!check.answered(governance)) gaps.push({ section: 'governance', ...pick(check) });
	}
	return gaps;
}

function pick<T>(check: Check<T>): { field: ReadinessGap['field']; message: string } {
	return { field: check.field as ReadinessGap['field'], message: check.message };
}
