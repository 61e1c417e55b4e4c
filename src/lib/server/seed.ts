import { eq } from 'drizzle-orm';
import { demoPortfolio } from './demo-portfolio';
import { getDb, type Db } from './db';
import { decisions, pilots } from './db/schema';
import * as pilotService from './pilots';

/**
 * Seeds the demo portfolio into an empty database, in one transaction, and returns how
 * many pilots it added (0 when the database already holds pilots).
 */
export function seedDemoPortfolio(db: Db = getDb()): number {
	return db.transaction(() => {
		if (pilotService.count(db) > 0) return 0;
		for (const demo of demoPortfolio) {
			const created = pilotService.create(demo.form, new Date(demo.createdAt), db);
			if (!created.ok) throw new Error(`Demo pilot “${demo.form.name}” is invalid`);
			let updatedAt = demo.createdAt;
			for (const step of demo.history) {
				if (step.decision) {
					db.insert(decisions)
						.values({ pilotId: created.value.id, ...step.decision, decidedAt: step.at })
						.run();
				}
				updatedAt = step.at;
			}
			const stage = demo.history.at(-1)?.stage ?? 'draft';
			db.update(pilots)
				.set({ stage, stageChangedAt: updatedAt, updatedAt })
				.where(eq(pilots.id, created.value.id))
				.run();
		}
		return demoPortfolio.length;
	});
}
