import * as apiKeys from '../auth/api-keys';
import { getDb, migrateDb } from '.';
import { seedDemoPortfolio } from '../demo/seed';
import * as users from '../auth/users';
import { newPasswordProblem } from '$lib/domain/password-rules';

// What happens once per process before the first request: migrate (SQLite as getDb opens it,
// PostgreSQL in migrateDb), create the
// operator's first admin and API key, and seed the demo portfolio into an empty database.

export async function startUp(env: Record<string, string | undefined>): Promise<void> {
	const db = getDb();
	await migrateDb(db);
	warnOfPerInstanceKey(env);
	// The operator's admin passes the rules every account's password passes.
	const adminProblem = env.INIT_ADMIN_PASSWORD ? newPasswordProblem(env.INIT_ADMIN_PASSWORD) : null;
	if (adminProblem !== null) {
		console.error(`Pilot Impact: INIT_ADMIN_PASSWORD was not used: ${adminProblem}.`);
	} else if (
		env.INIT_ADMIN_EMAIL &&
		env.INIT_ADMIN_PASSWORD &&
		!(await users.findByEmail(env.INIT_ADMIN_EMAIL, db))
	) {
		const email = env.INIT_ADMIN_EMAIL;
		const created = await unlessMadeMeanwhile(
			async () =>
				(await users.create(
					{ email, name: 'Administrator', role: 'admin', password: env.INIT_ADMIN_PASSWORD! },
					{ db }
				)) !== null,
			async () => (await users.findByEmail(email, db)) !== null
		);
		if (created) console.log(`Pilot Impact: created the admin account ${email}.`);
	}
	const keyProblem = env.INIT_API_KEY ? apiKeys.operatorKeyProblem(env.INIT_API_KEY) : null;
	if (keyProblem !== null) {
		console.error(`Pilot Impact: INIT_API_KEY was not created: ${keyProblem}.`);
	} else if (env.INIT_API_KEY && !(await apiKeys.existsWithKey(env.INIT_API_KEY, db))) {
		const key = env.INIT_API_KEY;
		const created = await unlessMadeMeanwhile(
			async () => {
				await apiKeys.create(
					{ name: 'INIT_API_KEY', scopes: ['admin'], pilotId: null, createdBy: null, key },
					{ db }
				);
				return true;
			},
			() => apiKeys.existsWithKey(key, db)
		);
		if (created) console.log('Pilot Impact: created the admin API key given in INIT_API_KEY.');
	}
	if (env.SEED_DEMO !== 'false') {
		// Demo accounts only when the operator has not brought an admin of their own, and with
		// passwords made at random unless DEMO_PASSWORD says otherwise (the tests do).
		const seeded = await seedDemoPortfolio(db, {
			accounts: !(env.INIT_ADMIN_EMAIL && env.INIT_ADMIN_PASSWORD),
			password: env.DEMO_PASSWORD || null
		});
		if (seeded) {
			console.log(`Pilot Impact: seeded the demo portfolio (${seeded.pilots} pilots).`);
			if (seeded.accounts.length > 0) {
				console.log('Demo accounts (shown only now; keep the passwords if you need them):');
				for (const account of seeded.accounts) {
					console.log(
						`  ${account.role.padEnd(10)} ${account.email}  password: ${account.password}`
					);
				}
			}
		}
	}
}

/**
 * Instances sharing a PostgreSQL database must share the key webhook secrets are encrypted
 * with: without WEBHOOK_SECRET_KEY each makes a key file of its own, and a secret one instance
 * stored cannot be read by the others.
 */
function warnOfPerInstanceKey(env: Record<string, string | undefined>): void {
	if (env.DATABASE_URL && !env.WEBHOOK_SECRET_KEY) {
		console.warn(
			'Pilot Impact: DATABASE_URL is set but WEBHOOK_SECRET_KEY is not: this instance encrypts ' +
				'webhook secrets with a key file of its own, which other instances cannot read. ' +
				'Set WEBHOOK_SECRET_KEY to the same value on every instance.'
		);
	}
}

/**
 * Runs `make`; whether it made the thing. Several instances starting at once on one PostgreSQL
 * may all find the admin or key missing: one creates it, and the others' creation fails on the
 * unique key. Such a failure is no failure when `exists` now says the thing is there.
 */
async function unlessMadeMeanwhile(
	make: () => Promise<boolean>,
	exists: () => Promise<boolean>
): Promise<boolean> {
	try {
		return await make();
	} catch (error) {
		if (await exists()) return false;
		throw error;
	}
}
