// `npm run bench`: the benchmarks import the TypeScript metrics core, compiled on the fly by tsx.
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('./benchmarks.js');
