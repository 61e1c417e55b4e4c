import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Charter, Governance } from '$lib/schemas/pilot';
import type { DecisionKind, Stage } from '$lib/domain/lifecycle';

// Times are ISO 8601 strings in UTC: readable in the database, sortable, and the same on
// SQLite and PostgreSQL. Windows are instants; the pilot's time zone says how to show them.

export const pilots = sqliteTable(
	'pilots',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		process: text('process').notNull().default(''),
		timezone: text('timezone').notNull().default('UTC'),
		stage: text('stage').$type<Stage>().notNull().default('draft'),
		baselineStart: text('baseline_start'),
		baselineEnd: text('baseline_end'),
		pilotStart: text('pilot_start'),
		pilotEnd: text('pilot_end'),
		charter: text('charter', { mode: 'json' }).$type<Charter>().notNull(),
		governance: text('governance', { mode: 'json' }).$type<Governance>().notNull(),
		createdAt: text('created_at').notNull(),
		updatedAt: text('updated_at').notNull(),
		stageChangedAt: text('stage_changed_at').notNull()
	},
	(table) => [
		uniqueIndex('pilots_slug_unique').on(table.slug),
		// Names are unique regardless of case, so two pilots are never confused in a list.
		uniqueIndex('pilots_name_unique').on(sql`lower(${table.name})`)
	]
);

export const decisions = sqliteTable(
	'decisions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: integer('pilot_id')
			.notNull()
			.references(() => pilots.id, { onDelete: 'cascade' }),
		decision: text('decision').$type<DecisionKind>().notNull(),
		rationale: text('rationale').notNull(),
		decidedBy: text('decided_by'),
		decidedAt: text('decided_at').notNull()
	},
	(table) => [index('decisions_pilot_idx').on(table.pilotId, table.decidedAt)]
);

export type PilotRow = typeof pilots.$inferSelect;
export type NewPilotRow = typeof pilots.$inferInsert;
export type DecisionRow = typeof decisions.$inferSelect;
