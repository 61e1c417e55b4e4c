import { requireRight } from '$lib/server/auth/access';
import * as digests from '$lib/server/alerts/digest';
import type { PageServerLoad } from './$types';

/** The digest of the last seven days, as leadership reads it (and prints it). */
export const load: PageServerLoad = ({ locals }) => {
	// Leadership and admins read every pilot: the digest covers the whole portfolio.
	if (locals.user?.role !== 'leadership') requireRight(locals, null, 'admin');
	const now = new Date();
	return { digest: digests.buildDigest(now, now), lastSent: digests.latest()?.generatedAt ?? null };
};
