#!/usr/bin/env node
// Node 20 cannot run TypeScript by itself: tsx compiles the CLI's sources on the fly, so the
// command works straight after `npm ci`, without a build step.
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('../src/lib/cli/main.ts');
