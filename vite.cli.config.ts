import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The `pilot-impact` command, built to one JavaScript file for Node (dist/pilot-impact.js), so it
// runs without a TypeScript loader. Its dependencies stay imports from node_modules. Apart from
// build/, which the app's build empties.
export default defineConfig({
	build: {
		ssr: 'src/lib/cli/main.ts',
		outDir: 'dist',
		emptyOutDir: true,
		target: 'node20',
		rollupOptions: {
			external: [
				...builtinModules,
				...builtinModules.map((m) => `node:${m}`),
				...Object.keys(pkg.dependencies)
			],
			output: { entryFileNames: 'pilot-impact.js', format: 'es' }
		}
	},
	logLevel: 'warn'
});
