import { stages, type Stage } from '$lib/domain/lifecycle';
import {
	filterRows,
	ownersOf,
	portfolioTotals,
	sortKeys,
	sortRows,
	type SortKey
} from '$lib/domain/portfolio-view';
import { can } from '$lib/server/auth/access';
import { portfolioRows } from '$lib/server/reports/portfolio';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const param = (name: string): string | null => url.searchParams.get(name) || null;
	const stage = stages.find((s) => s === param('stage')) ?? null;
	const sort: SortKey = sortKeys.find((k) => k === param('sort')) ?? 'updated';
	const descending = param('dir') !== 'asc';
	const all = await portfolioRows((pilotId) => can(locals, pilotId, 'read'));
	const owners = ownersOf(all);
	const owner = owners.find((o) => o === param('owner')) ?? null;
	const counts = Object.fromEntries(
		stages.map((s) => [s, all.filter((p) => p.stage === s).length])
	) as Record<Stage, number>;
	return {
		stage,
		owner,
		owners,
		sort,
		descending,
		counts,
		total: all.length,
		// Totals are the whole visible portfolio's: a filter narrows the list, not the sums.
		totals: portfolioTotals(all),
		pilots: sortRows(filterRows(all, { stage, owner }), sort, descending)
	};
};
