import axe from 'axe-core';
import type { Page } from 'playwright-core';

// Accessibility check with axe-core in the page itself. The library is evaluated through the
// browser's debugging protocol, which the page's Content-Security-Policy does not govern, so
// the app keeps its strict policy under test.

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	targets: string[];
}

/** Violations of WCAG 2.x A/AA rules at the given impacts (serious and critical by default). */
export async function axeViolations(
	page: Page,
	impacts: readonly string[] = ['serious', 'critical']
): Promise<AxeViolation[]> {
	await page.evaluate(axe.source);
	const violations = await page.evaluate(async () => {
		const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact ?? null,
			help: v.help,
			targets: v.nodes.map((n) => n.target.join(' '))
		}));
	});
	return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}
