import { and, desc, eq, isNull } from 'drizzle-orm';
import { record, type AuditEntry } from '../audit/audit';
import { randomToken, sha256 } from './tokens';
import { serviceContext, type ServiceContext } from '../context';
import { getDb, type Db } from '../db';
import { first, rows, run, transaction } from '../db/statements';
import { apiKeys, memberships, users, type ApiKeyRow, type ApiKeyScope } from '../db/schema';

// API keys: "pi_" + 256 random bits, shown once, stored as a hash, listed by prefix.

export const keyPrefix = 'pi_';
const shownPrefixLength = keyPrefix.length + 8;

export interface ApiKeySummary {
	id: number;
	prefix: string;
	name: string;
	scopes: ApiKeyScope[];
	pilotId: number | null;
	createdAt: string;
	lastUsedAt: string | null;
	revokedAt: string | null;
}

const summary = (row: ApiKeyRow): ApiKeySummary => ({
	id: row.id,
	prefix: row.prefix,
	name: row.name,
	scopes: row.scopes,
	pilotId: row.pilotId,
	createdAt: row.createdAt,
	lastUsedAt: row.lastUsedAt,
	revokedAt: row.revokedAt
});

/** A change of a key, recorded in the transaction that made it (`context.db` is its `tx`). */
async function recordKey(
	context: ServiceContext,
	key: ApiKeyRow,
	action: string,
	change: Pick<AuditEntry, 'before' | 'after'>
): Promise<void> {
	const entry = {
		action,
		targetType: 'api_key',
		targetId: key.id,
		targetLabel: `${key.prefix}… (${key.name})`,
		pilotId: key.pilotId
	};
	await record(context.actor, { ...entry, ...change }, context.now, context.db);
}

export interface NewApiKey {
	name: string;
	scopes: ApiKeyScope[];
	pilotId: number | null;
	createdBy: number | null;
	/** A key chosen by the operator (INIT_API_KEY); otherwise a random one. */
	key?: string;
}

/** Shortest key an operator may choose (INIT_API_KEY): a generated one has 46 characters. */
export const MIN_OPERATOR_KEY_LENGTH = 32;
const MIN_DISTINCT_CHARACTERS = 12;

/**
 * Why an operator's chosen key (INIT_API_KEY) is too weak to be an admin key, or null. It is
 * the only key a person types: long, varied and without spaces, or it is refused.
 */
export function operatorKeyProblem(key: string): string | null {
	if (/\s/.test(key)) return 'it contains white space';
	if (key.length < MIN_OPERATOR_KEY_LENGTH) {
		return `it has ${key.length} characters; use at least ${MIN_OPERATOR_KEY_LENGTH}`;
	}
	if (new Set(key).size < MIN_DISTINCT_CHARACTERS) {
		return `it repeats a few characters; use at least ${MIN_DISTINCT_CHARACTERS} different ones`;
	}
	return null;
}

export async function create(
	input: NewApiKey,
	context: Partial<ServiceContext> = {}
): Promise<{ key: string; summary: ApiKeySummary }> {
	const resolved = serviceContext(context);
	const key = input.key ?? `${keyPrefix}${randomToken(32)}`;
	return transaction(resolved.db, async (tx) => {
		const row = await first(
			tx
				.insert(apiKeys)
				.values({
					prefix: key.slice(0, shownPrefixLength),
					hash: sha256(key),
					name: input.name,
					scopes: input.scopes,
					pilotId: input.pilotId,
					createdBy: input.createdBy,
					createdAt: resolved.now.toISOString()
				})
				.returning()
		);
		const created = summary(row);
		await recordKey({ ...resolved, db: tx }, row, 'api_key.create', { after: created });
		return { key, summary: created };
	});
}

export async function existsWithKey(key: string, db: Db = getDb()): Promise<boolean> {
	const row = await first(
		db
			.select({ id: apiKeys.id })
			.from(apiKeys)
			.where(eq(apiKeys.hash, sha256(key)))
	);
	return row !== undefined;
}

/** The active key with this value, marking it used; null when unknown or revoked. */
export async function authenticate(
	key: string,
	now: Date = new Date(),
	db: Db = getDb()
): Promise<ApiKeySummary | null> {
	const row = await first(
		db
			.select()
			.from(apiKeys)
			.where(and(eq(apiKeys.hash, sha256(key)), isNull(apiKeys.revokedAt)))
	);
	if (!row || !(await creatorStillEntitled(row, db))) return null;
	const usedAt = now.toISOString();
	// Minute resolution is enough for "last used" and keeps busy keys from writing per request.
	if (!row.lastUsedAt || row.lastUsedAt.slice(0, 16) !== usedAt.slice(0, 16)) {
		await run(db.update(apiKeys).set({ lastUsedAt: usedAt }).where(eq(apiKeys.id, row.id)));
	}
	return summary({ ...row, lastUsedAt: usedAt });
}

/**
 * A key acts with its maker's authority, so it stops working with that authority: when the
 * account is disabled, when an admin key's maker is no longer an admin, and when a pilot
 * key's maker no longer owns the pilot (nor is an admin). Checked at every use, so a key
 * works again if the account does. Keys nobody made (INIT_API_KEY) belong to the operator.
 */
async function creatorStillEntitled(row: ApiKeyRow, db: Db): Promise<boolean> {
	if (row.createdBy === null) return true;
	const creator = await first(
		db
			.select({ role: users.role, disabledAt: users.disabledAt })
			.from(users)
			.where(eq(users.id, row.createdBy))
	);
	if (!creator || creator.disabledAt !== null) return false;
	if (creator.role === 'admin') return true;
	if (row.pilotId === null) return false;
	const membership = await first(
		db
			.select({ role: memberships.role })
			.from(memberships)
			.where(and(eq(memberships.pilotId, row.pilotId), eq(memberships.userId, row.createdBy)))
	);
	return membership?.role === 'owner';
}

export async function list(pilotId: number | null, db: Db = getDb()): Promise<ApiKeySummary[]> {
	const found = await rows(
		db
			.select()
			.from(apiKeys)
			.where(pilotId === null ? isNull(apiKeys.pilotId) : eq(apiKeys.pilotId, pilotId))
			.orderBy(desc(apiKeys.createdAt))
	);
	return found.map(summary);
}

export async function find(id: number, db: Db = getDb()): Promise<ApiKeySummary | null> {
	const row = await first(db.select().from(apiKeys).where(eq(apiKeys.id, id)));
	return row ? summary(row) : null;
}

export async function revoke(
	id: number,
	context: Partial<ServiceContext> = {}
): Promise<ApiKeySummary | null> {
	const resolved = serviceContext(context);
	return transaction(resolved.db, async (tx) => {
		const row = await first(tx.select().from(apiKeys).where(eq(apiKeys.id, id)));
		if (!row) return null;
		if (row.revokedAt) return summary(row);
		const revoked = await first(
			tx
				.update(apiKeys)
				.set({ revokedAt: resolved.now.toISOString() })
				.where(eq(apiKeys.id, id))
				.returning()
		);
		const [before, after] = [summary(row), summary(revoked)];
		await recordKey({ ...resolved, db: tx }, row, 'api_key.revoke', { before, after });
		return after;
	});
}
