import { governanceItems } from '$lib/domain/governance';
import type { Charter, Governance } from '$lib/schemas/pilot';

// The charter and governance questions, apart from the form's validation, so pages that only
// show the answers do not ship the schema library to the browser.

export interface QuestionField {
	name: string;
	label: string;
	question: string;
	multiline: boolean;
	placeholder?: string;
}

const q = (
	section: 'charter' | 'governance',
	key: keyof Charter | keyof Governance,
	label: string,
	question: string,
	multiline = true,
	placeholder?: string
): QuestionField => ({ name: `${section}.${key}`, label, question, multiline, placeholder });

export const charterFields: QuestionField[] = [
	q('charter', 'problem', 'Concrete problem', 'Which concrete problem does it solve?'),
	q('charter', 'businessOwner', 'Business owner', 'Who owns the workflow and its result?', false),
	q('charter', 'technicalOwner', 'Technical owner', 'Who connects and runs it?', false),
	q('charter', 'users', 'Real users', 'Who uses it in daily work? One per line.'),
	q('charter', 'data', 'Data', 'Where does reliable information come from?'),
	q('charter', 'integration', 'Integration', 'Which tool does the user work in?'),
	q('charter', 'risk', 'Risk', 'What happens if the AI is wrong?'),
	q('charter', 'evaluation', 'Evaluation', 'How is quality measured before scaling?'),
	q(
		'charter',
		'roiIndicator',
		'ROI indicator',
		'Which metric decides whether it pays off?',
		false,
		'e.g. handling_time'
	),
	q('charter', 'adoption', 'Adoption', 'What changes in daily work?')
];

export const governanceFields: QuestionField[] = governanceItems.map((item) =>
	q('governance', item.key, item.label, item.question, item.multiline)
);
