import { eq } from 'drizzle-orm';
import { systemActor } from './audit';
import { demoAccounts, demoPortfolio, type DemoAccount } from './demo-portfolio';
import { getDb, type Db } from './db';
import { decisions, pilots } from './db/schema';
import * as memberships from './memberships';
import * as pilotService from './pilots';
import * as users from './users';

export interface Seeded {
	pilots: number;
	accounts: { role: string; email: string; password: string }[];
}

/**
 * Seeds the demo portfolio and one demo account per role into an empty database, and says
 * what it added (null when the database already holds pilots).
 */
export async function seedDemoPortfolio(db: Db = getDb()): Promise<Seeded | null> {
	if (pilotService.count(db) > 0) return null;
	const accounts: (DemoAccount & { id: number })[] = [];
	for (const account of demoAccounts) {
		const user =
			(await users.create(account, systemActor, new Date('2026-06-01T08:00:00Z'), db)) ??
			users.findByEmail(account.email, db);
		if (user) accounts.push({ ...account, id: user.id });
	}
	db.transaction(() => {
		for (const demo of demoPortfolio) {
			const created = pilotService.create(demo.form, new Date(demo.createdAt), db);
			if (!created.ok) throw new Error(`Demo pilot “${demo.form.name}” is invalid`);
			const pilot = created.value;
			let updatedAt = demo.createdAt;
			for (const step of demo.history) {
				if (step.decision) {
					db.insert(decisions)
						.values({ pilotId: pilot.id, ...step.decision, decidedAt: step.at })
						.run();
				}
				updatedAt = step.at;
			}
			const stage = demo.history.at(-1)?.stage ?? 'draft';
			db.update(pilots)
				.set({ stage, stageChangedAt: updatedAt, updatedAt })
				.where(eq(pilots.id, pilot.id))
				.run();
			for (const account of accounts) {
				const role = account.memberOf[pilot.slug];
				if (role) memberships.set(pilot, account, role, systemActor, new Date(demo.createdAt), db);
			}
		}
	});
	return {
		pilots: demoPortfolio.length,
		accounts: demoAccounts.map(({ role, label, email, password }) => ({
			role: label ?? role,
			email,
			password
		}))
	};
}
