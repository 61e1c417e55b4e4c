import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getDb } from '$lib/server/db';
import { seedDemoPortfolio } from '$lib/server/seed';

/** Once per process: open and migrate the database, and seed the demo portfolio if empty. */
export const init: ServerInit = () => {
	const db = getDb();
	if (process.env.SEED_DEMO !== 'false') {
		const seeded = seedDemoPortfolio(db);
		if (seeded > 0) console.log(`Pilot Impact: seeded the demo portfolio (${seeded} pilots).`);
	}
};

/** Authentication arrives with user accounts; until then every request is anonymous. */
const authenticate: Handle = ({ event, resolve }) => {
	event.locals.user = null;
	return resolve(event);
};

export const handle: Handle = sequence(authenticate);
