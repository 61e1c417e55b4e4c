// Longer than most files, on purpose: drizzle-kit generates the migrations from one schema file;
// every table is here, for both engines (pg-schema.ts derives PostgreSQL's tables from these).

import { sql } from 'drizzle-orm';
import {
	type AnySQLiteColumn,
	index,
	integer,
	primaryKey,
	real,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import type { Charter, Governance } from '$lib/schemas/pilot';
import type { DecisionKind, Stage } from '$lib/domain/lifecycle';
import type { StoredPlan } from '$lib/schemas/plan';
export type { StoredPlan };
import type { ImportMapping } from '$lib/schemas/import-mapping';
import type { Cohort, Phase } from '$lib/domain/terms';
import type { AlertType, WebhookEvent } from '$lib/domain/alerts';

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

// Column builders that several tables share; each call makes new builders for one table.

/** The pilot a row belongs to, deleted with it. */
function pilotRef() {
	return integer('pilot_id')
		.notNull()
		.references(() => pilots.id, { onDelete: 'cascade' });
}

/** The user a row belongs to, deleted with them. */
function userRef() {
	return integer('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' });
}

/** The phase and cohort of a rollup row. */
function phaseCohort() {
	return {
		phase: text('phase').$type<Phase>().notNull(),
		cohort: text('cohort').$type<Cohort>().notNull()
	};
}

/** A pilot's metric in one phase and cohort: the group a rollup row counts. */
function metricGroup() {
	return { pilotId: pilotRef(), metricKey: text('metric_key').notNull(), ...phaseCohort() };
}

/** The columns of `metricGroup`, in its order, for a table's key or index. */
function groupColumns(table: {
	pilotId: AnySQLiteColumn;
	metricKey: AnySQLiteColumn;
	phase: AnySQLiteColumn;
	cohort: AnySQLiteColumn;
}) {
	return [table.pilotId, table.metricKey, table.phase, table.cohort] as const;
}

export const decisions = sqliteTable(
	'decisions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		decision: text('decision').$type<DecisionKind>().notNull(),
		rationale: text('rationale').notNull(),
		decidedBy: text('decided_by'),
		decidedAt: text('decided_at').notNull(),
		/** What the app recommended at that moment; a different decision is an override. */
		recommended: text('recommended'),
		/** The impact report the decision was based on, frozen. */
		report: text('report', { mode: 'json' }).$type<unknown>()
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
		userId: userRef(),
		createdAt: text('created_at').notNull(),
		expiresAt: text('expires_at').notNull()
	},
	(table) => [index('sessions_user_idx').on(table.userId)]
);

export const memberships = sqliteTable(
	'memberships',
	{
		pilotId: pilotRef(),
		userId: userRef(),
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

// ── Measurement plan, baseline and outcome events ─────────────────────────────────────────

/** One measurement plan per pilot. `lockedAt` is set when the pilot starts (pre-registration). */
export const plans = sqliteTable('plans', {
	pilotId: integer('pilot_id')
		.primaryKey()
		.references(() => pilots.id, { onDelete: 'cascade' }),
	definition: text('definition', { mode: 'json' }).$type<StoredPlan>().notNull(),
	version: integer('version').notNull().default(1),
	lockedAt: text('locked_at'),
	updatedAt: text('updated_at').notNull()
});

/** A change to a locked plan or baseline: why, when, by whom, and what it replaced. */
export const planAmendments = sqliteTable(
	'plan_amendments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		reason: text('reason').notNull(),
		changed: text('changed', { mode: 'json' }).$type<string[]>().notNull(),
		previous: text('previous', { mode: 'json' }).$type<unknown>().notNull(),
		amendedBy: text('amended_by'),
		amendedAt: text('amended_at').notNull()
	},
	(table) => [index('plan_amendments_pilot_idx').on(table.pilotId, table.amendedAt)]
);

/** A baseline entered by hand for a metric without baseline-window events. */
export const baselineSummaries = sqliteTable(
	'baseline_summaries',
	{
		pilotId: pilotRef(),
		metricKey: text('metric_key').notNull(),
		n: integer('n').notNull(),
		mean: real('mean'),
		sd: real('sd'),
		successes: integer('successes'),
		source: text('source').notNull(),
		enteredAt: text('entered_at').notNull()
	},
	(table) => [primaryKey({ columns: [table.pilotId, table.metricKey] })]
);

/**
 * Outcome events as received. A retry of an id is told from a conflicting send by comparing
 * its content with the stored row (ingest.ts), so nothing per event is spent on it up front.
 * The measures stay one JSON column: three times faster to insert than a row per measure, and
 * reports never read it (they read the rollups below).
 */
export const events = sqliteTable(
	'events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		externalId: text('external_id').notNull(),
		occurredAt: text('occurred_at').notNull(),
		day: text('day').notNull(),
		/** `null` when an amendment of the windows left the event outside both. */
		phase: text('phase').$type<Phase>(),
		cohort: text('cohort').$type<Cohort>().notNull(),
		segment: text('segment'),
		measures: text('measures').notNull(),
		receivedAt: text('received_at').notNull()
	},
	(table) => [uniqueIndex('events_pilot_external_unique').on(table.pilotId, table.externalId)]
);

/** The sums of a rollup row; a new set of column builders for each table. */
function rollupSums() {
	return {
		n: integer('n').notNull(),
		sumX: real('sum_x').notNull(),
		sumX2: real('sum_x2').notNull(),
		sumY: real('sum_y').notNull(),
		sumY2: real('sum_y2').notNull(),
		sumXY: real('sum_xy').notNull()
	};
}

/**
 * Per-day sufficient statistics per metric, phase and cohort (x = the measure, or the
 * numerator of a ratio; y = a ratio's denominator). Maintained in the insert's transaction,
 * so a report sums a few hundred rows whatever the number of events.
 */
export const dailyStats = sqliteTable(
	'daily_stats',
	{
		pilotId: pilotRef(),
		metricKey: text('metric_key').notNull(),
		day: text('day').notNull(),
		...phaseCohort(),
		...rollupSums()
	},
	(table) => [primaryKey({ columns: [...groupColumns(table), table.day] })]
);

/**
 * The same sufficient statistics per segment (team, channel, case type), summed over the days:
 * a segment's comparison needs no series, and a table of its own keeps the reports that sum
 * `daily_stats` as fast as before. Events without a segment (or with an empty one) are in no
 * row; quantile metrics are not broken down by segment. Maintained in the insert's
 * transaction and rebuilt with the other rollups.
 */
export const segmentStats = sqliteTable(
	'segment_stats',
	{
		...metricGroup(),
		segment: text('segment').notNull(),
		...rollupSums()
	},
	(table) => [primaryKey({ columns: [...groupColumns(table), table.segment] })]
);

/**
 * `daily_stats` summed over the days, per metric, phase and cohort: the totals every report
 * reads, one row per group instead of a sum over every day. Maintained in the insert's
 * transaction beside `daily_stats` (the same deltas, added once per group) and rebuilt with the
 * other rollups; the reliability checks compare it with `daily_stats` summed over days.
 */
export const phaseStats = sqliteTable(
	'phase_stats',
	{
		...metricGroup(),
		...rollupSums(),
		/**
		 * The pilot's data version (`data_versions`) of the last transaction that changed this
		 * row: a quantile metric's order statistics looked up while it is unchanged are its values'
		 * still (a group's values change only with its row: a batch adds to it, a rebuild makes it
		 * anew). 0 for rows unchanged since the column came.
		 */
		version: integer('version').notNull().default(0)
	},
	(table) => [primaryKey({ columns: [...groupColumns(table)] })]
);

/** `daily_cases` summed over the days, per phase and cohort; kept as `phase_stats` is. */
export const phaseCases = sqliteTable(
	'phase_cases',
	{
		pilotId: pilotRef(),
		...phaseCohort(),
		n: integer('n').notNull()
	},
	(table) => [primaryKey({ columns: [table.pilotId, table.phase, table.cohort] })]
);

/**
 * A counter per pilot, raised in every transaction that changes its rollups (a batch stored,
 * a rebuild, an emptying). Whatever a process derives from a pilot's rollups may be kept while
 * the stored counter is unchanged: every instance reads the same counter, so none can serve
 * numbers another one has already changed. Never reset, so a value is never reused.
 */
export const dataVersions = sqliteTable('data_versions', {
	pilotId: integer('pilot_id')
		.primaryKey()
		.references(() => pilots.id, { onDelete: 'cascade' }),
	version: integer('version').notNull()
});

/**
 * Per pilot and local day, the data version (`data_versions`) of the last transaction that
 * changed any of that day's `daily_stats` rows, emptying included. What a process keeps of the
 * per-day rows read at version v stays right for every day whose version here is ≤ v, so after a
 * batch it reads again only the days the batch touched. In the database, like the version, so
 * every instance on it sees the same days changed.
 */
export const dailyVersions = sqliteTable(
	'daily_versions',
	{
		pilotId: pilotRef(),
		day: text('day').notNull(),
		version: integer('version').notNull()
	},
	(table) => [primaryKey({ columns: [table.pilotId, table.day] })]
);

/** Events per day, phase and cohort, whatever measures they carry (cases handled). */
export const dailyCases = sqliteTable(
	'daily_cases',
	{
		pilotId: pilotRef(),
		day: text('day').notNull(),
		...phaseCohort(),
		n: integer('n').notNull()
	},
	(table) => [primaryKey({ columns: [table.pilotId, table.phase, table.cohort, table.day] })]
);

/**
 * Values of quantile metrics, indexed by value; a report reads a few of them by rank through
 * `quantile_buckets` (the per-day charts read them by day).
 */
export const quantileValues = sqliteTable(
	'quantile_values',
	{
		...metricGroup(),
		/** The local day, for per-day series of the quantile. */
		day: text('day').notNull(),
		value: real('value').notNull()
	},
	(table) => [index('quantile_values_lookup_idx').on(...groupColumns(table), table.value)]
);

/**
 * Exact counts over consecutive value ranges of `quantile_values`, so that the k-th smallest
 * value of a group is a sum of counts and one short step into the value index away (see
 * quantile-buckets.ts). A bucket holds the values v with lo ≤ v < the next bucket's lo.
 */
export const quantileBuckets = sqliteTable(
	'quantile_buckets',
	{
		...metricGroup(),
		lo: real('lo').notNull(),
		n: integer('n').notNull(),
		minValue: real('min_value').notNull(),
		maxValue: real('max_value').notNull()
	},
	(table) => [primaryKey({ columns: [...groupColumns(table), table.lo] })]
);

/**
 * The second counted level over `quantile_buckets`: a row per run of consecutive buckets (about
 * RANGE_SIZE of them, see quantile-ranges.ts) of one group, with their number and the values they
 * hold. A range starts at its first bucket's lo and holds the buckets up to the next range's lo,
 * so a rank is found by adding up a few range counts and then the bucket counts of one range.
 */
export const quantileRanges = sqliteTable(
	'quantile_ranges',
	{
		...metricGroup(),
		lo: real('lo').notNull(),
		/** Values in the range's buckets. */
		n: integer('n').notNull(),
		/** Buckets in the range. */
		buckets: integer('buckets').notNull()
	},
	(table) => [primaryKey({ columns: [...groupColumns(table), table.lo] })]
);

export type PlanRow = typeof plans.$inferSelect;
export type PlanAmendmentRow = typeof planAmendments.$inferSelect;
export type BaselineSummaryRow = typeof baselineSummaries.$inferSelect;

// ── Quality: evaluation runs of the AI ────────────────────────────────────────────────────
// Pass counts per criterion, and the case-level results when a run was uploaded as a file.

export const evaluationRuns = sqliteTable(
	'evaluation_runs',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		name: text('name').notNull(),
		runAt: text('run_at').notNull(),
		criteria: text('criteria', { mode: 'json' })
			.$type<Record<string, { passed: number; total: number }>>()
			.notNull(),
		source: text('source').$type<'api' | 'form' | 'file'>().notNull(),
		recordedBy: text('recorded_by').notNull(),
		createdAt: text('created_at').notNull()
	},
	(table) => [index('evaluation_runs_pilot_idx').on(table.pilotId, table.runAt)]
);

export const evaluationCases = sqliteTable(
	'evaluation_cases',
	{
		runId: integer('run_id')
			.notNull()
			.references(() => evaluationRuns.id, { onDelete: 'cascade' }),
		caseId: text('case_id').notNull(),
		criterion: text('criterion').notNull(),
		passed: integer('passed', { mode: 'boolean' }).notNull(),
		note: text('note')
	},
	(table) => [uniqueIndex('evaluation_cases_unique').on(table.runId, table.caseId, table.criterion)]
);

export type EvaluationRunRow = typeof evaluationRuns.$inferSelect;

/**
 * Import profiles: a saved column mapping per pilot ("Zendesk weekly export"), so the next
 * export of the same tool imports in one click. The mapping is the import-mapping contract.
 */
export const importProfiles = sqliteTable(
	'import_profiles',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		name: text('name').notNull(),
		mapping: text('mapping', { mode: 'json' }).$type<ImportMapping>().notNull(),
		createdBy: text('created_by'),
		updatedAt: text('updated_at').notNull()
	},
	(table) => [uniqueIndex('import_profiles_pilot_name_unique').on(table.pilotId, table.name)]
);

export type ImportProfileRow = typeof importProfiles.$inferSelect;

// ── Alerts, webhooks and their deliveries ──────────────────────────────────────────────────

/** What the alerts last saw of a pilot; alerts are the differences from it. */
export interface ObservedState {
	/** `null` before the pilot has a plan (no report). */
	decision: string | null;
	/** Guardrail metric key → its status (`holds`, `breached`, `unclear`). */
	guardrails: Record<string, string>;
	failingGates: string[];
}

/**
 * Per pilot, the state its alerts last observed. `dirty` counts the changes (an ingest batch, a
 * decision, an evaluation run, a plan change) since the last evaluation: it is set in the
 * change's own transaction, so a crash before the evaluation leaves it set and the next start
 * evaluates the pilot.
 */
export const alertState = sqliteTable(
	'alert_state',
	{
		pilotId: integer('pilot_id')
			.primaryKey()
			.references(() => pilots.id, { onDelete: 'cascade' }),
		dirty: integer('dirty').notNull().default(0),
		observed: text('observed', { mode: 'json' }).$type<ObservedState>(),
		/** Incremented at each observed change: part of the alerts' keys. */
		version: integer('version').notNull().default(0),
		/** When the latest batch with new events was stored. */
		lastEventAt: text('last_event_at'),
		/** Working days without events before `data.silent`. */
		silentDays: integer('silent_days').notNull().default(2),
		evaluatedAt: text('evaluated_at')
	},
	(table) => [index('alert_state_dirty_idx').on(table.dirty)]
);

/** One alert per change of state: `key` names the change, so it is stored once. */
export const alerts = sqliteTable(
	'alerts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		pilotId: pilotRef(),
		type: text('type').$type<AlertType>().notNull(),
		key: text('key').notNull(),
		title: text('title').notNull(),
		data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		createdAt: text('created_at').notNull()
	},
	(table) => [
		uniqueIndex('alerts_change_unique').on(table.pilotId, table.type, table.key),
		index('alerts_created_idx').on(table.createdAt)
	]
);

export const webhookFormats = ['json', 'slack'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];

export const webhooks = sqliteTable('webhooks', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	/** `null`: every pilot (registered by an admin). */
	pilotId: integer('pilot_id').references(() => pilots.id, { onDelete: 'cascade' }),
	url: text('url').notNull(),
	events: text('events', { mode: 'json' }).$type<WebhookEvent[]>().notNull(),
	format: text('format').$type<WebhookFormat>().notNull().default('json'),
	/** The signing secret, AES-256-GCM encrypted with the server's key (webhook-secrets.ts). */
	secret: text('secret').notNull(),
	createdBy: text('created_by').notNull(),
	createdAt: text('created_at').notNull(),
	/** Set when the endpoint answered 410 Gone: nothing more is sent to it. */
	disabledAt: text('disabled_at'),
	deletedAt: text('deleted_at')
});

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * The outbox: one row per alert and matching webhook, written in the alert's transaction. The
 * payload is fixed at that moment, so every attempt sends the same body under the same id.
 */
export const webhookDeliveries = sqliteTable(
	'webhook_deliveries',
	{
		id: text('id').primaryKey(),
		webhookId: integer('webhook_id')
			.notNull()
			.references(() => webhooks.id, { onDelete: 'cascade' }),
		alertId: integer('alert_id').references(() => alerts.id, { onDelete: 'cascade' }),
		type: text('type').notNull(),
		payload: text('payload').notNull(),
		status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: text('next_attempt_at').notNull(),
		lastStatus: integer('last_status'),
		lastError: text('last_error'),
		createdAt: text('created_at').notNull(),
		deliveredAt: text('delivered_at')
	},
	(table) => [
		uniqueIndex('webhook_deliveries_alert_unique').on(table.webhookId, table.alertId),
		index('webhook_deliveries_due_idx').on(table.status, table.nextAttemptAt)
	]
);

/** The newest alert a user has seen: older ones are read. */
export const notificationReads = sqliteTable('notification_reads', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	lastSeenAlertId: integer('last_seen_alert_id').notNull()
});

/** What each user wants in their notification list: alert types and pilots left out. */
export const notificationSettings = sqliteTable('notification_settings', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	mutedTypes: text('muted_types', { mode: 'json' }).$type<AlertType[]>().notNull(),
	mutedPilots: text('muted_pilots', { mode: 'json' }).$type<number[]>().notNull()
});

export type AlertRow = typeof alerts.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/**
 * The weekly digests sent, one per period: the key is the scheduled moment that closed the
 * week, so several instances or a restart never send a period twice.
 */
export const digests = sqliteTable('digests', {
	period: text('period').primaryKey(),
	createdAt: text('created_at').notNull(),
	content: text('content', { mode: 'json' }).$type<Record<string, unknown>>().notNull()
});
