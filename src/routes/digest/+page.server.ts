import { requireRight } from '$lib/server/auth/access';
import * as digests from '$lib/server/alerts/digest';
import type { PageServerLoad } from './$types';

/** The digest of the last seven days, as leadership reads it (and prints it). */
export const load: PageServerLoad = async ({ locals }) => {
	// Leadership and admins read every pilot: the digest covers the whole portfolio.
	if (locals.user?.role !== 'leadership') await requireRight(locals, null, 'admin');
	const now = new Date();
	return {
		digest: await digests.buildDigest(now, now),
		lastSent: (await digests.latest())?.generatedAt ?? null
	};
};
