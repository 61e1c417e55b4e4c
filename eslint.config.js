import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const serverOnly = [
	{
		group: ['$lib/server', '$lib/server/*', '**/server', '**/server/*'],
		message: 'Server code is reached only from routes and other server modules.'
	}
];
const aliasFree = {
	group: ['$lib', '$lib/*'],
	message:
		'The pure layers use relative imports: the CLI and the benchmarks run them without SvelteKit.'
};
const typesOnlyInCore = {
	group: ['zod', '../schemas/*'],
	allowTypeImports: true,
	message: 'The metrics core takes only types from the schemas: no zod at run time.'
};

export default ts.config(
	{ ignores: ['build/', 'dist/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: { 'no-undef': 'off' }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: {
					allowDefaultProject: ['drizzle.config.ts', 'drizzle.pg.config.ts', 'vite.cli.config.ts']
				},
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	// Folder roles (docs/architecture.md). The pure layers import one another by relative paths,
	// so the CLI and the benchmarks run them outside SvelteKit; none of them reaches the server.
	{
		files: ['src/lib/{metrics,schemas,domain,cli,forms}/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: serverOnly }]
		}
	},
	{
		files: ['src/lib/{metrics,schemas,domain,cli}/**/*.ts'],
		ignores: ['**/*.test.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{ patterns: [...serverOnly, aliasFree] }
			]
		}
	},
	{
		files: ['src/lib/metrics/**/*.ts'],
		ignores: ['**/*.test.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{ patterns: [...serverOnly, aliasFree, typesOnlyInCore] }
			]
		}
	},
	// The data layer (docs/architecture.md): services run every statement through
	// db/statements.ts, which holds SQLite's turn across awaits and runs the same query on
	// PostgreSQL. A drizzle query run by its own methods, or awaited alone, skips both.
	{
		files: ['src/lib/server/**/*.ts'],
		ignores: ['**/*.test.ts', 'src/lib/server/db/statements.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: 'CallExpression[arguments.length=0][callee.property.name=/^(get|all|run)$/]',
					message: 'Run queries with first/rows/run from db/statements.ts, on either engine.'
				},
				{
					selector:
						'AwaitExpression > CallExpression[callee.property.name=/^(from|where|values|returning|orderBy|limit|groupBy|onConflictDoUpdate|onConflictDoNothing)$/]',
					message:
						'Await first(query), rows(query) or run(query) from db/statements.ts, not the query itself.'
				}
			]
		}
	}
);
