#!/usr/bin/env node
// The command runs the CLI built to JavaScript by `npm run build` (dist/pilot-impact.js),
// building it first when it is missing or older than its sources.
import { pathToFileURL } from 'node:url';
import { ensureCliBuild } from '../scripts/ensure-build.js';

await import(pathToFileURL(ensureCliBuild()).href);
