import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema';

/**
 * The database the services run on. Typed as SQLite's drizzle database, whose query builders
 * the services use on both engines; with `DATABASE_URL` it is drizzle's PostgreSQL database over
 * the same table objects (statements.ts says how a service runs its statements on either).
 * `$client` is SQLite's connection only where `isPostgres(db)` is false.
 */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
