import { can } from '$lib/server/auth/access';
import * as pilots from '$lib/server/pilots/pilots';
import * as plans from '$lib/server/pilots/plans';
import type { PageServerLoad } from './$types';

/** Examples use a pilot the caller may read, and the measures of its own plan. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const readable: pilots.Pilot[] = [];
	if (locals.user || locals.apiKey) {
		for (const p of await pilots.list()) if (await can(locals, p.id, 'read')) readable.push(p);
	}
	// Prefer a pilot whose plan names measures, so the examples can be sent as they are.
	const states = await Promise.all(readable.map((p) => plans.readState(p.slug)));
	const state = states.find((s) => s?.definition) ?? states[0] ?? null;
	const mine = state?.pilot;
	const plan = state?.definition ?? null;
	const measures = plan
		? [
				...new Set(
					plan.metrics.flatMap((m) =>
						m.kind === 'ratio' ? [m.numerator, m.denominator] : [m.measure]
					)
				)
			]
				.filter((m): m is string => typeof m === 'string')
				.slice(0, 3)
		: ['handling_minutes', 'error'];
	const primary = plan?.metrics.find((m) => m.role === 'primary') ?? plan?.metrics[0];
	return {
		origin: url.origin,
		slug: mine?.slug ?? 'email-triage',
		own: mine !== undefined,
		measures,
		metricKey: primary?.key ?? 'handling_time',
		occurredAt: plan ? plan.pilotWindow.start : '2026-10-03T09:14:00+02:00',
		signedIn: locals.user !== null || locals.apiKey !== null
	};
};
