import type { DecisionKind, Stage } from '$lib/domain/lifecycle';
import type { MembershipRole, UserRole } from '../db/schema';
import type { PilotForm } from '$lib/schemas/pilot';
import { governanceItems } from '$lib/domain/governance';

// The demo portfolio: five pilots from real use cases, in different stages, with fixed
// dates so that screenshots and tests are the same on every machine.

export interface DemoPilot {
	form: PilotForm;
	createdAt: string;
	/** The stage actions taken, in order, each at its time. */
	history: {
		stage: Stage;
		at: string;
		decision?: { decision: DecisionKind; rationale: string; decidedBy: string };
	}[];
}

const madrid = 'Europe/Madrid';

export interface DemoAccount {
	email: string;
	name: string;
	role: UserRole;
	/** How the start-up output and the login page describe the account. */
	label?: string;
	memberOf: Record<string, MembershipRole>;
}

/** One demo account per role; their passwords are made at seeding (see seed.ts). */
export const demoAccounts: DemoAccount[] = [
	{
		email: 'admin@demo.pilot-impact.test',
		name: 'Ana Admin',
		role: 'admin',
		memberOf: {}
	},
	{
		email: 'leadership@demo.pilot-impact.test',
		name: 'Luis Leadership',
		role: 'leadership',
		memberOf: {}
	},
	{
		email: 'owner@demo.pilot-impact.test',
		name: 'Laura Méndez',
		role: 'user',
		label: 'owner',
		memberOf: { 'email-triage-assistant': 'owner', 'internal-faq-answers': 'owner' }
	},
	{
		email: 'member@demo.pilot-impact.test',
		name: 'Marta Gil',
		role: 'user',
		label: 'member',
		memberOf: { 'email-triage-assistant': 'member' }
	}
];

type Answers = Pick<PilotForm, 'charter' | 'governance'>;
type Step = DemoPilot['history'][number];

/** No governance question answered yet. */
const unanswered = Object.fromEntries(
	governanceItems.map((item) => [item.key, ''])
) as PilotForm['governance'];

/** A demo pilot in Madrid; `windows` are the baseline's and the pilot's first and last days. */
function demoPilot(
	createdAt: string,
	[name, process]: [name: string, process: string],
	windows: [string, string, string, string] | null,
	{ charter, governance }: Answers,
	history: Step[] = []
): DemoPilot {
	const window = (firstDay: string, lastDay: string) => ({ firstDay, lastDay });
	return {
		createdAt,
		form: {
			name,
			process,
			timezone: madrid,
			baselineWindow: windows && window(windows[0], windows[1]),
			pilotWindow: windows && window(windows[2], windows[3]),
			charter,
			governance
		},
		history
	};
}

/** The stage actions: baseline at `baselineAt`, then running and decided if the pilot got there. */
function stages(baselineAt: string, runningAt?: string, decision?: Step): Step[] {
	const steps: Step[] = [{ stage: 'baseline', at: baselineAt }];
	if (runningAt) steps.push({ stage: 'running', at: runningAt });
	if (decision) steps.push(decision);
	return steps;
}

function decided(at: string, decision: DecisionKind, decidedBy: string, rationale: string): Step {
	return { stage: 'decided', at, decision: { decision, rationale, decidedBy } };
}

export const demoPortfolio: DemoPilot[] = [
	demoPilot(
		'2026-08-18T09:00:00Z',
		['Email triage assistant', 'Classify incoming support emails by urgency and responsible area'],
		['2026-09-01', '2026-09-30', '2026-10-01', '2026-10-21'],
		{
			charter: {
				problem:
					'Agents spend the first minutes of every ticket reading and routing it; urgent emails wait behind routine ones.',
				businessOwner: 'Laura Méndez, Head of Customer Support',
				technicalOwner: 'Jordi Puig, Support Systems',
				users: ['Tier-1 support agents (Madrid)', 'Billing desk'],
				data: 'Zendesk tickets with their final area and priority as set by senior agents',
				integration: 'Zendesk: the suggested area and urgency appear as ticket fields',
				risk: 'A wrongly routed urgent ticket waits longer; agents can re-route in one click',
				evaluation: 'Weekly sample of 120 tickets reviewed by two senior agents',
				roiIndicator: 'handling_time',
				adoption: 'Agents start from the suggested queue instead of the shared inbox'
			},
			governance: {
				dataRead: 'Ticket subject, body and customer tier; no payment data',
				actions: 'Sets the area and urgency fields only',
				approvalRequired: 'Closing or merging tickets stays with agents',
				logging: 'Every suggestion and its confidence is stored on the ticket audit trail',
				errorReviewer: 'Support quality lead (Marta Gil), weekly',
				killSwitch: 'Zendesk trigger “AI triage” off; tickets fall back to the shared inbox'
			}
		},
		stages('2026-08-29T10:00:00Z', '2026-10-01T07:00:00Z')
	),
	demoPilot(
		'2026-09-22T08:30:00Z',
		[
			'Internal FAQ answers',
			'Answer employee FAQs from the internal knowledge base in the HR helpdesk'
		],
		['2026-11-02', '2026-11-22', '2026-11-30', '2026-12-18'],
		{
			charter: {
				problem:
					'HR answers the same 40 questions about leave, payroll and expenses by hand every week.',
				businessOwner: 'Carmen Ortega, HR Operations',
				technicalOwner: 'Pablo Ruiz, Digital Workplace',
				users: ['HR helpdesk team', 'All employees via the intranet'],
				data: 'Approved HR policies in the intranet knowledge base (owner: HR)',
				integration: 'Intranet chat widget; escalates to a helpdesk ticket',
				risk: 'An answer from an outdated policy misleads an employee about pay or leave',
				evaluation: '200 historical questions with approved answers, rerun for each prompt version',
				roiIndicator: 'resolution_time',
				adoption: 'Helpdesk staff review escalations only instead of answering every question'
			},
			governance: {
				dataRead: 'Published HR policies only; no personal employee records',
				actions: 'Answers questions and opens helpdesk tickets',
				approvalRequired: '',
				logging: 'Questions, answers and sources cited are logged for 90 days',
				errorReviewer: '',
				killSwitch: ''
			}
		},
		stages('2026-10-30T09:00:00Z')
	),
	demoPilot(
		'2026-06-02T08:00:00Z',
		[
			'Invoice data extraction',
			'Extract supplier invoice data into the ERP for review by accounts payable'
		],
		['2026-06-15', '2026-07-03', '2026-07-06', '2026-07-31'],
		{
			charter: {
				problem:
					'Accounts payable keys 2,500 supplier invoices a month by hand, with typing errors.',
				businessOwner: 'Andrés Soler, Finance Operations',
				technicalOwner: 'Núria Vidal, ERP team',
				users: ['Accounts payable clerks'],
				data: 'PDF invoices from the AP mailbox; posted ERP entries as ground truth',
				integration: 'ERP review queue: extracted fields arrive pre-filled for approval',
				risk: 'A wrong amount or VAT code is posted; every invoice is still approved by a clerk',
				evaluation: 'Field-level accuracy on 300 posted invoices per model version',
				roiIndicator: 'handling_time',
				adoption: 'Clerks review and approve instead of typing'
			},
			governance: {
				dataRead: 'Supplier invoices and the supplier master data',
				actions: 'Creates draft ERP entries; never posts',
				approvalRequired: 'Every posting is approved by an AP clerk',
				logging: 'Extraction, confidence and clerk corrections stored per invoice',
				errorReviewer: 'AP team lead, daily',
				killSwitch: 'ERP import job disabled; invoices return to manual keying'
			}
		},
		stages(
			'2026-06-12T08:00:00Z',
			'2026-07-06T06:00:00Z',
			decided(
				'2026-08-07T10:00:00Z',
				'scale',
				'Finance leadership committee',
				'Handling time per invoice fell by about 45% with no rise in posting errors; scaling to all entities from September.'
			)
		)
	),
	demoPilot(
		'2026-11-10T11:00:00Z',
		['Proposal drafting', 'Draft commercial proposals from the sales qualification form'],
		null,
		{
			charter: {
				problem: 'Account executives spend half a day per proposal assembling standard sections.',
				businessOwner: 'Elena Castro, Sales Director',
				technicalOwner: '',
				users: ['Account executives (SMB team)'],
				data: 'Approved proposal templates and the price list',
				integration: '',
				risk: 'A proposal with outdated prices or terms reaches a customer',
				evaluation: '',
				roiIndicator: '',
				adoption: ''
			},
			governance: unanswered
		}
	),
	demoPilot(
		'2026-07-20T09:00:00Z',
		['Call summaries to CRM', 'Summarise sales calls into CRM notes and follow-up tasks'],
		['2026-08-24', '2026-09-11', '2026-09-14', '2026-10-09'],
		{
			charter: {
				problem: 'Follow-up tasks are logged late or not at all after sales calls.',
				businessOwner: 'Marc Ferrer, Inside Sales',
				technicalOwner: 'Sara León, CRM team',
				users: ['Inside sales representatives'],
				data: 'Call recordings (with consent) and CRM activity records',
				integration: 'CRM activity timeline: summary and draft tasks to confirm',
				risk: 'A wrong commitment is logged as a task; reps confirm every task',
				evaluation: 'Sales managers rate 50 summaries per week against the recording',
				roiIndicator: 'after_call_minutes',
				adoption: 'Reps confirm drafted tasks instead of writing notes'
			},
			governance: {
				dataRead: 'Recordings of calls where the customer consented',
				actions: 'Writes draft notes and tasks in the CRM',
				approvalRequired: 'Tasks are created only after the rep confirms them',
				logging: 'Summaries and edits kept with the CRM activity',
				errorReviewer: 'Inside sales manager, weekly',
				killSwitch: 'CRM integration toggle in the admin console'
			}
		},
		stages(
			'2026-08-21T09:00:00Z',
			'2026-09-14T06:00:00Z',
			decided(
				'2026-10-16T14:00:00Z',
				'discard',
				'Sales leadership',
				'After-call work did not change measurably and reps edited most summaries heavily; the licence cost is not justified.'
			)
		)
	),
	demoPilot(
		'2026-10-05T10:00:00Z',
		[
			'Contract clause review',
			'Flag non-standard clauses in incoming supplier contracts for legal review'
		],
		['2026-10-19', '2026-11-06', '2026-11-09', '2026-12-04'],
		{
			charter: {
				problem: 'Legal reviews every supplier contract line by line; most clauses are standard.',
				businessOwner: 'Irene Navarro, Legal',
				technicalOwner: 'Tomás Gil, Legal Tech',
				users: ['Legal counsels', 'Procurement'],
				data: 'Signed contracts with counsel annotations from the last two years',
				integration: 'Document management system: flags appear as comments in the contract',
				risk: 'A risky clause is not flagged; counsels still read flagged and unflagged sections',
				evaluation: '80 annotated contracts, recall of non-standard clauses per model version',
				roiIndicator: 'review_hours',
				adoption: 'Counsels start from the flagged clauses'
			},
			governance: {
				dataRead: 'Supplier contracts in the legal workspace only',
				actions: 'Adds comments; never edits the contract',
				approvalRequired: 'All negotiation positions are decided by counsel',
				logging: 'Every flag and counsel response stored with the document',
				errorReviewer: 'Senior counsel, fortnightly',
				killSwitch: 'Disable the DMS add-in for the legal workspace'
			}
		},
		stages('2026-10-16T09:00:00Z', '2026-11-09T07:00:00Z')
	)
];
