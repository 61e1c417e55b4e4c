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

// Access: users, their sessions, memberships in pilots, API keys, and the audit log.

export const userRoles = ['admin', 'leadership', 'user'] as const;
export type UserRole = (typeof userRoles)[number];
export const membershipRoles = ['owner', 'member'] as const;
export type MembershipRole = (typeof membershipRoles)[number];
export const apiKeyScopes = ['ingest', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const users = sqliteTable(
	'users',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: text('role').$type<UserRole>().notNull().default('user'),
		/** A PHC string ($scrypt$ln=17,r=8,p=1$salt$hash), so parameters can be raised later. */
		passwordHash: text('password_hash').notNull(),
		createdAt: text('created_at').notNull(),
		disabledAt: text('disabled_at')
	},
	(table) => [uniqueIndex('users_email_unique').on(sql`lower(${table.email})`)]
);

export const sessions = sqliteTable(
	'sessions',
	{
		/** SHA-256 of the session token: the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: text('created_at').notNull(),
		expiresAt: text('expires_at').notNull()
	},
	(table) => [index('sessions_user_idx').on(table.userId)]
);

export const memberships = sqliteTable(
	'memberships',
	{
		pilotId: integer('pilot_id')
			.notNull()
			.references(() => pilots.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role').$type<MembershipRole>().notNull(),
		createdAt: text('created_at').notNull()
	},
	(table) => [
		uniqueIndex('memberships_pilot_user_unique').on(table.pilotId, table.userId),
		index('memberships_user_idx').on(table.userId)
	]
);

export const apiKeys = sqliteTable(
	'api_keys',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** The first characters of the key, shown in lists so people recognise their keys. */
		prefix: text('prefix').notNull(),
		/** SHA-256 of the whole key: the key has 256 random bits, so no slow hash is needed. */
		hash: text('hash').notNull(),
		name: text('name').notNull(),
		scopes: text('scopes', { mode: 'json' }).$type<ApiKeyScope[]>().notNull(),
		/** The pilot the key is bound to; null for admin keys. */
		pilotId: integer('pilot_id').references(() => pilots.id, { onDelete: 'cascade' }),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: text('created_at').notNull(),
		lastUsedAt: text('last_used_at'),
		revokedAt: text('revoked_at')
	},
	(table) => [uniqueIndex('api_keys_hash_unique').on(table.hash)]
);

export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		actorType: text('actor_type').$type<'user' | 'api_key' | 'anonymous' | 'system'>().notNull(),
		actorId: integer('actor_id'),
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		targetType: text('target_type').notNull(),
		targetId: text('target_id'),
		targetLabel: text('target_label'),
		pilotId: integer('pilot_id'),
		before: text('before', { mode: 'json' }),
		after: text('after', { mode: 'json' }),
		detail: text('detail'),
		address: text('address')
	},
	(table) => [
		index('audit_log_at_idx').on(table.at),
		index('audit_log_pilot_idx').on(table.pilotId, table.at)
	]
);

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
