import { asc, eq } from 'drizzle-orm';
import type { BaselineSummary } from '$lib/metrics';
import type { Amendment as ReportAmendment } from '$lib/metrics';
import type { PlanDefinition } from '$lib/schemas/plan';
import { getDb, type Db } from '../db';
import { first, rows } from '../db/statements';
import {
	baselineSummaries,
	planAmendments,
	plans,
	pilots,
	type PilotRow,
	type StoredPlan
} from '../db/schema';
import { silentDaysOf } from '../alerts/silence';

// The plan state of a pilot as every report, page and the API read it: the pilot, its stored
// plan, the plan definition with the pilot's windows, the lock, amendments and baseline summaries.

export interface AmendmentView extends ReportAmendment {
	readonly changed: readonly string[];
}

export interface PlanState {
	pilot: PilotRow;
	stored: StoredPlan | null;
	version: number;
	lockedAt: string | null;
	amendments: AmendmentView[];
	summaries: Record<string, BaselineSummary & { source: string; enteredAt: string }>;
	/** The plan as the metrics core reads it; `null` without a plan or without both windows. */
	definition: PlanDefinition | null;
	/** Working days without new events before `data.silent`. */
	silentDays: number;
}

function window(start: string | null, end: string | null): { start: string; end: string } | null {
	return start && end ? { start, end } : null;
}

export function planDefinition(pilot: PilotRow, stored: StoredPlan | null): PlanDefinition | null {
	const baselineWindow = window(pilot.baselineStart, pilot.baselineEnd);
	const pilotWindow = window(pilot.pilotStart, pilot.pilotEnd);
	if (!stored || !baselineWindow || !pilotWindow) return null;
	return {
		slug: pilot.slug,
		name: pilot.name,
		timezone: pilot.timezone,
		baselineWindow,
		pilotWindow,
		...stored
	};
}

// The plan state is read for every report and each pilot of the portfolio: its three reads
// are small queries by the pilot's id.
export async function stateOf(db: Db, pilot: PilotRow): Promise<PlanState> {
	const plan = await first(db.select().from(plans).where(eq(plans.pilotId, pilot.id)));
	const amendments = (
		await rows(
			db
				.select()
				.from(planAmendments)
				.where(eq(planAmendments.pilotId, pilot.id))
				.orderBy(asc(planAmendments.amendedAt), asc(planAmendments.id))
		)
	).map((row) => ({
		at: row.amendedAt,
		reason: row.reason,
		...(row.amendedBy ? { by: row.amendedBy } : {}),
		changed: row.changed
	}));
	const summaries: PlanState['summaries'] = {};
	for (const row of await rows(
		db.select().from(baselineSummaries).where(eq(baselineSummaries.pilotId, pilot.id))
	)) {
		summaries[row.metricKey] =
			row.successes !== null
				? { n: row.n, successes: row.successes, source: row.source, enteredAt: row.enteredAt }
				: {
						n: row.n,
						mean: row.mean ?? 0,
						sd: row.sd ?? 0,
						source: row.source,
						enteredAt: row.enteredAt
					};
	}
	const stored = plan?.definition ?? null;
	return {
		pilot,
		stored,
		version: plan?.version ?? 0,
		lockedAt: plan?.lockedAt ?? null,
		amendments,
		summaries,
		definition: planDefinition(pilot, stored),
		silentDays: await silentDaysOf(db, pilot.id)
	};
}

/** The plan state of the pilot `slug`; inside a transaction, pass its `tx`. */
export async function readState(slug: string, db: Db = getDb()): Promise<PlanState | null> {
	const pilot = await pilotBySlug(db, slug);
	return pilot ? stateOf(db, pilot) : null;
}

function pilotBySlug(db: Db, slug: string): Promise<PilotRow | undefined> {
	return first(db.select().from(pilots).where(eq(pilots.slug, slug)));
}

/**
 * The pilot and the plan as the metrics core reads it, without amendments and baseline
 * summaries: what each ingestion request needs, from two queries.
 */
export async function readDefinition(
	slug: string,
	db: Db = getDb()
): Promise<{ pilot: PilotRow; definition: PlanDefinition | null } | null> {
	const pilot = await pilotBySlug(db, slug);
	if (!pilot) return null;
	const plan = await first(
		db.select({ definition: plans.definition }).from(plans).where(eq(plans.pilotId, pilot.id))
	);
	return { pilot, definition: planDefinition(pilot, plan?.definition ?? null) };
}

/** The plan state of the pilot with this id; inside a transaction, pass its `tx`. */
export async function readStateById(pilotId: number, db: Db = getDb()): Promise<PlanState | null> {
	const pilot = await first(db.select().from(pilots).where(eq(pilots.id, pilotId)));
	return pilot ? stateOf(db, pilot) : null;
}

/** The pilot definition as the API shows it (docs/api.md "Pilots"), with lock and amendments. */
export function definitionView(state: PlanState): Record<string, unknown> {
	const { pilot, stored } = state;
	return {
		slug: pilot.slug,
		name: pilot.name,
		process: pilot.process,
		timezone: pilot.timezone,
		stage: pilot.stage,
		baselineWindow: window(pilot.baselineStart, pilot.baselineEnd),
		pilotWindow: window(pilot.pilotStart, pilot.pilotEnd),
		...(stored ?? { metrics: [] }),
		charter: pilot.charter,
		governance: pilot.governance,
		silentDays: state.silentDays,
		lockedAt: state.lockedAt,
		amendments: state.amendments,
		baselineSummaries: state.summaries
	};
}
