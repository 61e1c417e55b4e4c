import * as apiKeys from '../auth/api-keys';
import { getDb, migrateDb } from '.';
import { seedDemoPortfolio } from '../demo/seed';
import * as users from '../auth/users';

// What happens once per process before the first request: migrate (SQLite as getDb opens it,
// PostgreSQL in migrateDb), create the
// operator's first admin and API key, and seed the demo portfolio into an empty database.

export async function startUp(env: Record<string, string | undefined>): Promise<void> {
	const db = getDb();
	await migrateDb(db);
	if (
		env.INIT_ADMIN_EMAIL &&
		env.INIT_ADMIN_PASSWORD &&
		!(await users.findByEmail(env.INIT_ADMIN_EMAIL, db))
	) {
		await users.create(
			{
				email: env.INIT_ADMIN_EMAIL,
				name: 'Administrator',
				role: 'admin',
				password: env.INIT_ADMIN_PASSWORD
			},
			{ db }
		);
		console.log(`Pilot Impact: created the admin account ${env.INIT_ADMIN_EMAIL}.`);
	}
	const keyProblem = env.INIT_API_KEY ? apiKeys.operatorKeyProblem(env.INIT_API_KEY) : null;
	if (keyProblem !== null) {
		console.error(`Pilot Impact: INIT_API_KEY was not created: ${keyProblem}.`);
	} else if (env.INIT_API_KEY && !(await apiKeys.existsWithKey(env.INIT_API_KEY, db))) {
		await apiKeys.create(
			{
				name: 'INIT_API_KEY',
				scopes: ['admin'],
				pilotId: null,
				createdBy: null,
				key: env.INIT_API_KEY
			},
			{ db }
		);
		console.log('Pilot Impact: created the admin API key given in INIT_API_KEY.');
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
