import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import DecisionLog from './DecisionLog.svelte';

const text = (html: string): string =>
	html
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

const entry = {
	id: 7,
	decision: 'discard' as const,
	rationale: 'The vendor ends the product; measuring further has no use.',
	decidedBy: 'Luis Leadership',
	decidedAt: '2026-10-22T08:30:00.000Z',
	recommended: 'scale',
	override: true,
	hasReport: true
};

describe('DecisionLog', () => {
	it('marks an override with what was recommended, dates it in the pilot’s zone, links the report', () => {
		const { body } = render(DecisionLog, {
			props: { slug: 'email-triage', entries: [entry], timeZone: 'Europe/Madrid' }
		});
		const words = text(body);
		expect(words).toContain('Discard Override: recommended scale');
		expect(words).toContain('Luis Leadership, 22 Oct 2026, 10:30 (Europe/Madrid)');
		expect(body).toContain('href="/pilots/email-triage/decisions/7"');
	});

	it('a decision as recommended is not marked; one without a report says so', () => {
		const { body } = render(DecisionLog, {
			props: {
				slug: 'p',
				entries: [{ ...entry, decision: 'scale', override: false, hasReport: false }],
				timeZone: 'UTC'
			}
		});
		expect(body).not.toContain('data-testid="override"');
		expect(text(body)).toContain('as recommended');
		expect(text(body)).toContain('no report was kept with this decision');
	});

	it('an empty log says how decisions come about', () => {
		const { body } = render(DecisionLog, { props: { slug: 'p', entries: [], timeZone: 'UTC' } });
		expect(text(body)).toContain('No decision yet');
	});
});
