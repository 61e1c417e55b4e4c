import { stages, type Stage } from '$lib/domain/lifecycle';
import { can } from '$lib/server/access';
import * as pilots from '$lib/server/pilots';
import { pilotQuality } from '$lib/server/quality';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, locals }) => {
	const requested = url.searchParams.get('stage');
	const stage = stages.find((s) => s === requested) ?? null;
	const all = pilots.list().filter((pilot) => can(locals, pilot.id, 'read'));
	const counts = Object.fromEntries(
		stages.map((s) => [s, all.filter((p) => p.stage === s).length])
	) as Record<Stage, number>;
	return {
		stage,
		counts,
		total: all.length,
		pilots: (stage ? all.filter((p) => p.stage === stage) : all).map((p) => ({
			slug: p.slug,
			name: p.name,
			process: p.process,
			stage: p.stage,
			businessOwner: p.charter.businessOwner,
			gaps: p.readinessGaps.length,
			quality: pilotQuality(p.id).status,
			baselineDays: p.baselineDays,
			pilotDays: p.pilotDays,
			lastDecision: p.lastDecision
				? { decision: p.lastDecision.decision, decidedAt: p.lastDecision.decidedAt }
				: null
		}))
	};
};
