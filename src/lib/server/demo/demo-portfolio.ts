import type { DecisionKind, Stage } from '$lib/domain/lifecycle';
import type { MembershipRole, UserRole } from '../db/schema';
import type { PilotForm } from '$lib/schemas/pilot';

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

export const demoPortfolio: DemoPilot[] = [
	{
		createdAt: '2026-08-18T09:00:00Z',
		form: {
			name: 'Email triage assistant',
			process: 'Classify incoming support emails by urgency and responsible area',
			timezone: madrid,
			baselineWindow: { firstDay: '2026-09-01', lastDay: '2026-09-30' },
			pilotWindow: { firstDay: '2026-10-01', lastDay: '2026-10-21' },
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
		history: [
			{ stage: 'baseline', at: '2026-08-29T10:00:00Z' },
			{ stage: 'running', at: '2026-10-01T07:00:00Z' }
		]
	},
	{
		createdAt: '2026-09-22T08:30:00Z',
		form: {
			name: 'Internal FAQ answers',
			process: 'Answer employee FAQs from the internal knowledge base in the HR helpdesk',
			timezone: madrid,
			baselineWindow: { firstDay: '2026-11-02', lastDay: '2026-11-22' },
			pilotWindow: { firstDay: '2026-11-30', lastDay: '2026-12-18' },
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
		history: [{ stage: 'baseline', at: '2026-10-30T09:00:00Z' }]
	},
	{
		createdAt: '2026-06-02T08:00:00Z',
		form: {
			name: 'Invoice data extraction',
			process: 'Extract supplier invoice data into the ERP for review by accounts payable',
			timezone: madrid,
			baselineWindow: { firstDay: '2026-06-15', lastDay: '2026-07-03' },
			pilotWindow: { firstDay: '2026-07-06', lastDay: '2026-07-31' },
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
		history: [
			{ stage: 'baseline', at: '2026-06-12T08:00:00Z' },
			{ stage: 'running', at: '2026-07-06T06:00:00Z' },
			{
				stage: 'decided',
				at: '2026-08-07T10:00:00Z',
				decision: {
					decision: 'scale',
					rationale:
						'Handling time per invoice fell by about 45% with no rise in posting errors; scaling to all entities from September.',
					decidedBy: 'Finance leadership committee'
				}
			}
		]
	},
	{
		createdAt: '2026-11-10T11:00:00Z',
		form: {
			name: 'Proposal drafting',
			process: 'Draft commercial proposals from the sales qualification form',
			timezone: madrid,
			baselineWindow: null,
			pilotWindow: null,
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
			governance: {
				dataRead: '',
				actions: '',
				approvalRequired: '',
				logging: '',
				errorReviewer: '',
				killSwitch: ''
			}
		},
		history: []
	},
	{
		createdAt: '2026-07-20T09:00:00Z',
		form: {
			name: 'Call summaries to CRM',
			process: 'Summarise sales calls into CRM notes and follow-up tasks',
			timezone: madrid,
			baselineWindow: { firstDay: '2026-08-24', lastDay: '2026-09-11' },
			pilotWindow: { firstDay: '2026-09-14', lastDay: '2026-10-09' },
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
		history: [
			{ stage: 'baseline', at: '2026-08-21T09:00:00Z' },
			{ stage: 'running', at: '2026-09-14T06:00:00Z' },
			{
				stage: 'decided',
				at: '2026-10-16T14:00:00Z',
				decision: {
					decision: 'discard',
					rationale:
						'After-call work did not change measurably and reps edited most summaries heavily; the licence cost is not justified.',
					decidedBy: 'Sales leadership'
				}
			}
		]
	},
	{
		createdAt: '2026-10-05T10:00:00Z',
		form: {
			name: 'Contract clause review',
			process: 'Flag non-standard clauses in incoming supplier contracts for legal review',
			timezone: madrid,
			baselineWindow: { firstDay: '2026-10-19', lastDay: '2026-11-06' },
			pilotWindow: { firstDay: '2026-11-09', lastDay: '2026-12-04' },
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
		history: [
			{ stage: 'baseline', at: '2026-10-16T09:00:00Z' },
			{ stage: 'running', at: '2026-11-09T07:00:00Z' }
		]
	}
];
