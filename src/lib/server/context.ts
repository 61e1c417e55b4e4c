import { systemActor, type Actor } from './audit/audit';
import { getDb, type Db } from './db';

// The services are the data layer (docs/architecture.md, "The data layer"): each returns a
// promise and its callers await it. Inside, every statement runs through db/statements.ts, the
// same on SQLite and PostgreSQL, and a read and the write that depends on it stay inside one
// `transaction()`, whose statements all use its `tx`.
//
// Every service that writes takes, as its last argument, who acts, when, and on which
// database. Routes build it from the request (`contextOf` in auth/access.ts); tests pass a
// fresh database and a fixed clock; the demo seeding and the CLI act as the system.

export interface ServiceContext {
	db: Db;
	actor: Actor;
	now: Date;
}

/** A context with the app's database, the system as actor and the current time by default. */
export function serviceContext(given: Partial<ServiceContext> = {}): ServiceContext {
	return {
		db: given.db ?? getDb(),
		actor: given.actor ?? systemActor,
		now: given.now ?? new Date()
	};
}

/**
 * How an amendment or a decision names who made it: the user's email or the key's prefix;
 * null when nobody in particular did (the system, an anonymous caller).
 */
export function actorLabel(actor: Actor): string | null {
	return actor.type === 'user' || actor.type === 'api_key' ? actor.label : null;
}
