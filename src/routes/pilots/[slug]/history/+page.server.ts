import type { AuditEntry } from '$lib/components/audit-entry';
import { can, pilotWithRight } from '$lib/server/auth/access';
import * as audit from '$lib/server/audit/audit';
import type { AuditRow } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

const SHOWN = 200;

const view = (row: AuditRow): AuditEntry => ({
	id: row.id,
	at: row.at,
	actorLabel: row.actorLabel,
	action: row.action,
	targetLabel: row.targetLabel,
	detail: row.detail,
	before: row.before,
	after: row.after
});

/**
 * Any reader of the pilot sees its changes; refused attempts on it (who tried, from where) are
 * for those who read the whole audit log, administrators and leadership.
 */
async function mayReadAudit(locals: App.Locals): Promise<boolean> {
	return (await can(locals, null, 'admin')) || locals.user?.role === 'leadership';
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const pilot = await pilotWithRight(locals, params.slug, 'read');
	const all = await mayReadAudit(locals);
	return {
		pilot: { slug: pilot.slug, name: pilot.name, timezone: pilot.timezone },
		// Read beyond the 200 shown, so refused attempts left out do not empty the page.
		entries: (await audit.list({ pilotId: pilot.id, limit: all ? SHOWN : SHOWN * 5 }))
			.filter((row) => all || !row.action.startsWith('access.'))
			.slice(0, SHOWN)
			.map(view)
	};
};
