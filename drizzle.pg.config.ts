import { defineConfig } from 'drizzle-kit';

// The PostgreSQL migrations, beside SQLite's (drizzle.config.ts):
// `npx drizzle-kit generate --config drizzle.pg.config.ts` writes them to drizzle-pg/.
export default defineConfig({
	schema: './src/lib/server/db/pg-schema.ts',
	out: './drizzle-pg',
	dialect: 'postgresql',
	dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/pilot_impact' },
	strict: true,
	verbose: true
});
