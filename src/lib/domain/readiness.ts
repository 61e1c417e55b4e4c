import type { Charter, Governance } from '../schemas/pilot';
import { governanceItems } from './governance';

// Readiness = every charter question and every governance item answered. The app names
// exactly what is missing, in the words a pilot owner would use.

export interface ReadinessGap {
	section: 'charter' | 'governance';
	field: keyof Charter | keyof Governance;
	message: string;
}

/** A question and the gap its empty answer leaves, in the checklist's order. */
type Question<T> = readonly [field: keyof T & string, missing: string];

const charterQuestions: Question<Charter>[] = [
	['problem', 'No concrete problem stated'],
	['businessOwner', 'No business owner'],
	['technicalOwner', 'No technical owner'],
	['users', 'No real users named'],
	['data', 'No reliable data source named'],
	['integration', 'No integration: which tool the user works in'],
	['risk', 'No risk stated: what happens if the AI is wrong'],
	['evaluation', 'No evaluation: how quality is measured before scaling'],
	['roiIndicator', 'No ROI indicator chosen'],
	['adoption', 'No adoption plan: what changes in daily work']
];

const governanceQuestions: Question<Governance>[] = governanceItems.map((item) => [
	item.key,
	item.missing
]);

export const readinessItemCount = charterQuestions.length + governanceQuestions.length;

const filled = (text: string): boolean => text.trim().length > 0;

/** An answer counts when it has words: a text, or a list with at least one entry. */
const answered = (value: string | string[]): boolean =>
	typeof value === 'string' ? filled(value) : value.some(filled);

/** What is still missing before the pilot is ready to start; empty when ready. */
export function readinessGaps(charter: Charter, governance: Governance): ReadinessGap[] {
	return [
		...gapsOf('charter', charter, charterQuestions),
		...gapsOf('governance', governance, governanceQuestions)
	];
}

function gapsOf<T extends Record<keyof T, string | string[]>>(
	section: ReadinessGap['section'],
	answers: T,
	questions: Question<T>[]
): ReadinessGap[] {
	return questions
		.filter(([field]) => !answered(answers[field]))
		.map(([field, message]) => ({ section, field: field as ReadinessGap['field'], message }));
}
