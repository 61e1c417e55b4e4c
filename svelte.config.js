import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	compilerOptions: {
		// Runes everywhere in our own code; libraries keep their own mode.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		// The benchmarks import the app's modules: under the type check, a rename cannot break them
		// silently.
		typescript: {
			config: (tsconfig) => {
				tsconfig.include.push('../bench/**/*.ts');
			}
		},
		// The cross-site form check runs in hooks.server.ts (checkFormOrigin) instead: SvelteKit's
		// own answers before any hook, in plain text, also to API callers owed problem+json.
		csrf: { trustedOrigins: ['*'] },
		// Scripts only from the app itself (SvelteKit adds a nonce to its own inline script);
		// inline styles are allowed because components and Chart.js set style attributes.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
