import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The commands, built to JavaScript for Node so they run without a TypeScript loader: the
// `pilot-impact` CLI (dist/pilot-impact.js) and `npm run db:move` (dist/db-move.js). Their
// dependencies stay imports from node_modules. Apart from build/, which the app's build empties.
export default defineConfig({
	resolve: { alias: { $lib: fileURLToPath(new URL('src/lib', import.meta.url)) } },
	build: {
		ssr: true,
		outDir: 'dist',
		emptyOutDir: true,
		target: 'node20',
		rollupOptions: {
			input: {
				'pilot-impact': 'src/lib/cli/main.ts',
				'db-move': 'src/lib/server/move/command.ts'
			},
			external: [
				...builtinModules,
				...builtinModules.map((m) => `node:${m}`),
				...Object.keys(pkg.dependencies)
			],
			output: { entryFileNames: '[name].js', format: 'es' }
		}
	},
	logLevel: 'warn'
});
