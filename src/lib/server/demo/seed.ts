import { eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { demoAccounts, demoPortfolio, type DemoAccount } from './demo-portfolio';
import { getDb, type Db } from '../db';
import { transaction } from '../db/statements';
import { decisions, pilots, plans } from '../db/schema';
import { demoEvents, demoMeasurements } from './demo-measurement';
import * as evaluations from '../pilots/evaluations';
import { EventChecker } from '../ingest/event-checker';
import { storeEvents } from '../ingest/ingest';
import * as memberships from '../auth/memberships';
import * as pilotService from '../pilots/pilots';
import * as planService from '../pilots/plans';
import { impactReport } from '../reports/reports';
import * as users from '../auth/users';
import type { ImpactReport } from '$lib/metrics';
import { planSchema } from '$lib/schemas/plan';

export interface Seeded {
	pilots: number;
	/** The demo accounts created, with their passwords: shown once, at start-up. */
	accounts: { role: string; email: string; password: string }[];
}

export interface DemoAccountOptions {
	/** Whether to create the demo accounts at all (never beside an operator's own admin). */
	accounts: boolean;
	/**
	 * The password every demo account gets, `{role}` replaced by its role ("admin", "owner"…);
	 * null for a random one per account. Passwords are never fixed in the code: a demo that
	 * anyone can start must not come with an admin password anyone can read.
	 */
	password: string | null;
}

/** 96 random bits, in 16 characters that are easy to copy from a terminal. */
const randomPassword = (): string => randomBytes(12).toString('base64url');

/**
 * Seeds the demo portfolio, and one demo account per role unless told not to, into an empty
 * database, and says what it added (null when the database already holds pilots).
 */
export async function seedDemoPortfolio(
	db: Db = getDb(),
	options: DemoAccountOptions = { accounts: true, password: null }
): Promise<Seeded | null> {
	// All or nothing: a start stopped half-way leaves the database empty, and the next start seeds
	// it again. The services' own transactions nest in this one (as savepoints). Open across the
	// awaits (password hashing) only because it runs at start-up, before any request or the alert
	// loop can use the connection. A failed seeding fails the start, and the process ends with
	// whatever its caches read inside the transaction rolled back.
	return transaction(db, (tx) => seed(tx, options));
}

async function seed(db: Db, options: DemoAccountOptions): Promise<Seeded | null> {
	if ((await pilotService.count(db)) > 0) return null;
	const accounts: (DemoAccount & { id: number })[] = [];
	const created: Seeded['accounts'] = [];
	for (const account of options.accounts ? demoAccounts : []) {
		const role = account.label ?? account.role;
		const password = options.password?.replaceAll('{role}', role) ?? randomPassword();
		const user = await users.create(
			{ ...account, password },
			{ db, now: new Date('2026-06-01T08:00:00Z') }
		);
		// An account of that email made earlier keeps its own password.
		if (user) created.push({ role, email: account.email, password });
		const existing = user ?? (await users.findByEmail(account.email, db));
		if (existing) accounts.push({ ...account, id: existing.id });
	}
	for (const demo of demoPortfolio) {
		const created = await pilotService.create(demo.form, null, {
			db,
			now: new Date(demo.createdAt)
		});
		if (!created.ok) throw new Error(`Demo pilot “${demo.form.name}” is invalid`);
		const pilot = created.value;
		const measurement = demoMeasurements[demo.form.name];
		if (measurement) await seedMeasurement(db, pilot.slug, pilot.id, demo, measurement);
		for (const run of measurement?.evaluations ?? []) {
			await evaluations.create(pilot, run, 'api', [], { db, now: new Date(run.runAt) });
		}
		let updatedAt = demo.createdAt;
		for (const step of demo.history) {
			if (step.decision) {
				// Kept with the report of that moment, as a decision recorded in the app is.
				const report = await reportAt(db, pilot.slug, new Date(step.at));
				db.insert(decisions)
					.values({
						pilotId: pilot.id,
						...step.decision,
						decidedAt: step.at,
						recommended: report?.recommendation.decision ?? null,
						report
					})
					.run();
			}
			if (step.stage === 'running') {
				db.update(plans).set({ lockedAt: step.at }).where(eq(plans.pilotId, pilot.id)).run();
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
			if (role) await memberships.set(pilot, account, role, { db, now: new Date(demo.createdAt) });
		}
	}
	return { pilots: demoPortfolio.length, accounts: created };
}

/** The impact report as the running pilot showed it at `at`. */
async function reportAt(db: Db, slug: string, at: Date): Promise<ImpactReport | null> {
	const state = await planService.readState(slug, db);
	if (!state) return null;
	return await impactReport({ ...state, pilot: { ...state.pilot, stage: 'running' } }, at, db);
}

async function seedMeasurement(
	db: Db,
	slug: string,
	pilotId: number,
	demo: (typeof demoPortfolio)[number],
	measurement: (typeof demoMeasurements)[string]
): Promise<void> {
	const at = new Date(demo.createdAt);
	// Only the plan's own part is taken from here; windows come from the pilot.
	const parsed = planSchema.safeParse({
		slug,
		name: demo.form.name,
		timezone: demo.form.timezone,
		baselineWindow: { start: '2000-01-01T00:00:00Z', end: '2000-01-02T00:00:00Z' },
		pilotWindow: { start: '2000-01-03T00:00:00Z', end: '2000-01-04T00:00:00Z' },
		...measurement.plan
	});
	if (!parsed.success) throw new Error(`Demo plan of “${demo.form.name}” is invalid`);
	const saved = await planService.replacePlan(slug, parsed.data, null, { db, now: at });
	if (!saved.ok || !measurement.simulate) return;
	const plan = saved.value.definition;
	if (!plan) throw new Error(`Demo pilot “${demo.form.name}” has no windows`);
	const checker = new EventChecker(plan);
	const events = demoEvents(slug, plan.timezone ?? 'UTC', measurement.simulate).map((input, i) => {
		const result = checker.check(i, input);
		if (!result.ok) throw new Error(`Demo event ${input.id}: ${result.errors[0].message}`);
		return result.event;
	});
	const stored = await storeEvents(db, pilotId, plan, events, at);
	if (!stored.ok) throw new Error(`Demo events of “${demo.form.name}” clash`);
}
