import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The metrics barrel re-exports the report builder, which brings zod and the t distribution:
// about 65 KB gzipped that the pilot page's browser code never needs. Code that runs in the
// browser imports types from it, and values only from the small modules themselves.
const BROWSER_CODE = [
	...['src/lib/charts', 'src/lib/components'].flatMap((dir) =>
		readdirSync(dir)
			.filter((f) => /\.(ts|svelte)$/.test(f) && !f.endsWith('.test.ts'))
			.map((f) => join(dir, f))
	)
].filter((file) => !file.endsWith('series-points.ts'));

const VALUE_IMPORT = /^import\s+(?!type\b)[^;]*from\s+'(?:\$lib|\.\.)\/metrics(?:\/index)?'/m;
const HEAVY_MODULE =
	/from\s+'(?:\$lib|\.\.)\/metrics\/(?:distributions|impact-report|compare|power)'/;

describe('browser code of the charts and components', () => {
	it.each(BROWSER_CODE)('%s imports no statistics it does not draw', (file) => {
		const source = readFileSync(file, 'utf8');
		expect(source).not.toMatch(VALUE_IMPORT);
		expect(source).not.toMatch(HEAVY_MODULE);
	});
});
