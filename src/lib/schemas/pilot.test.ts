import { describe, expect, test } from 'vitest';
import { issuesToFieldErrors } from '$lib/forms/field-errors';
import { flatToPilotInput, parsePilotForm } from '$lib/forms/pilot-form';
import { pilotFormSchema } from './pilot';

const base = {
	name: 'Email triage assistant',
	process: 'Classify incoming support emails by urgency and area',
	timezone: 'Europe/Madrid'
};

function errorsFor(input: Record<string, string>): Record<string, string[]> {
	const result = pilotFormSchema.safeParse(flatToPilotInput({ ...base, ...input }));
	return result.success ? {} : issuesToFieldErrors(result.error.issues);
}

describe('pilot form schema', () => {
	test('name, process and time zone are enough to create a pilot', () => {
		const parsed = pilotFormSchema.parse(flatToPilotInput(base));
		expect(parsed.baselineWindow).toBeNull();
		expect(parsed.charter.users).toEqual([]);
		expect(parsed.governance.killSwitch).toBe('');
	});

	test.each([
		['name', 'Give the pilot a name of at least 3 characters', { name: '' }],
		['name', 'Give the pilot a name of at least 3 characters', { name: '  ab ' }],
		['name', 'The name needs at least one letter or digit', { name: '!!!!' }],
		['name', 'Keep the name under 120 characters', { name: 'x'.repeat(121) }],
		['process', 'Describe the one concrete process this pilot improves', { process: 'short' }],
		['timezone', 'Choose a time zone from the list', { timezone: 'Mars/Olympus' }],
		[
			'baselineWindow.lastDay',
			'Use a date like 2026-09-01',
			{ 'baselineWindow.firstDay': '2026-09-01' }
		],
		[
			'baselineWindow.lastDay',
			'The last day must not be before the first day',
			{ 'baselineWindow.firstDay': '2026-09-10', 'baselineWindow.lastDay': '2026-09-01' }
		],
		[
			'pilotWindow.firstDay',
			'The pilot window must start after the baseline window ends',
			{
				'baselineWindow.firstDay': '2026-09-01',
				'baselineWindow.lastDay': '2026-09-30',
				'pilotWindow.firstDay': '2026-09-15',
				'pilotWindow.lastDay': '2026-10-15'
			}
		],
		['charter.problem', 'Keep this under 2,000 characters', { 'charter.problem': 'x'.repeat(2001) }]
	] as [string, string, Record<string, string>][])('%s: %s', (field, message, input) => {
		expect(errorsFor(input)[field]).toEqual([message]);
	});

	test('users are one per line, blank lines dropped, answers trimmed', () => {
		const form = new FormData();
		for (const [k, v] of Object.entries(base)) form.set(k, v);
		form.set('charter.users', 'Tier-1 agents\n\n  Billing desk  \n');
		form.set('charter.businessOwner', '  Laura Méndez ');
		const parsed = parsePilotForm(form);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.data.charter.users).toEqual(['Tier-1 agents', 'Billing desk']);
		expect(parsed.data.charter.businessOwner).toBe('Laura Méndez');
	});

	test('an invalid form keeps exactly what was typed', () => {
		const form = new FormData();
		form.set('name', '  <b>x</b>');
		form.set('process', 'short');
		const parsed = parsePilotForm(form);
		expect(parsed.ok).toBe(false);
		expect(parsed.values.name).toBe('  <b>x</b>');
		expect(parsed.values.process).toBe('short');
	});
});
