import { error } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/audit';
import type { PageServerLoad } from './$types';

const pageSize = 100;

/** The whole audit log, for administrators and leadership. */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user?.role !== 'admin' && locals.user?.role !== 'leadership') {
		error(403, 'The audit log is for administrators and leadership.');
	}
	const action = url.searchParams.get('action') || null;
	const actor = url.searchParams.get('who')?.trim() || null;
	const before = Number(url.searchParams.get('before')) || null;
	const entries = await audit.list({ action, actor, before, limit: pageSize + 1 });
	return {
		filter: { action: action ?? '', who: actor ?? '' },
		actions: await audit.actions(),
		entries: entries.slice(0, pageSize),
		nextBefore: entries.length > pageSize ? entries[pageSize - 1].id : null
	};
};
