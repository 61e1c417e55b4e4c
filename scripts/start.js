// `npm start`: builds the app when the build is missing or older than its sources, then
// serves it (migrating the database and seeding the demo portfolio on first start).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build.js';

process.chdir(join(dirname(fileURLToPath(import.meta.url)), '..'));
const built = ensureBuild();

process.env.PORT ||= '3000';
// Form posts are checked against the site's origin; behind a proxy set ORIGIN to the public URL.
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
process.env.DATABASE_PATH ||= './data/pilot-impact.db';
// The ingestion API takes bodies up to 10 MiB (docs/api.md); adapter-node's default is 512 KB.
process.env.BODY_SIZE_LIMIT ||= '10M';
await import(built);
console.log(
	`Pilot Impact is running at http://localhost:${process.env.PORT} (database: ${process.env.DATABASE_PATH})`
);
