import type { Right } from '$lib/server/auth/access';
import { pilotWithRight } from '$lib/server/auth/access';
import * as plans from '$lib/server/pilots/plans';

/**
 * What the plan and baseline pages load alike: the pilot (read by a caller with `right`), its
 * plan state, the pilot as their headers show it, and whether the plan exists and is locked.
 */
export async function planPage(locals: App.Locals, slug: string, right: Right = 'read') {
	const pilot = await pilotWithRight(locals, slug, right);
	const state = (await plans.readState(slug))!;
	return {
		pilot,
		state,
		header: {
			slug: pilot.slug,
			name: pilot.name,
			timezone: pilot.timezone,
			baselineDays: pilot.baselineDays
		},
		hasPlan: state.stored !== null,
		lockedAt: state.lockedAt
	};
}
