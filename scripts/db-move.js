// `npm run db:move -- --to postgres://…`: runs the move built to JavaScript (dist/db-move.js),
// building it first when it is missing or older than its sources.
import { pathToFileURL } from 'node:url';
import { ensureCliBuild } from './ensure-build.js';

await import(pathToFileURL(ensureCliBuild('db-move')).href);
