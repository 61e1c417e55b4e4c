// Signing in over HTTP as a browser would, for tests that call pages with fetch.

export const testAdmin = {
	email: 'admin@tests.pilot-impact.test',
	password: 'correct horse battery'
};

/** The env that makes a fresh server create the test admin. */
export const adminEnv = {
	INIT_ADMIN_EMAIL: testAdmin.email,
	INIT_ADMIN_PASSWORD: testAdmin.password
};

/** Posts the login form and returns the session cookie ("pi_session=…"), or throws. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl,
			accept: 'text/html'
		},
		body: new URLSearchParams({ email, password })
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pi_session='));
	if (response.status !== 303 || !cookie)
		throw new Error(`Sign-in as ${email} failed: ${response.status}`);
	return cookie.split(';')[0];
}

export interface Client {
	get: (path: string, headers?: Record<string, string>) => Promise<Response>;
	post: (path: string, fields: Record<string, string>) => Promise<Response>;
}

/** A fetch wrapper that carries a session cookie and posts forms with the site's Origin. */
export function client(baseUrl: string, cookie: string | null): Client {
	const auth: Record<string, string> = cookie ? { cookie } : {};
	return {
		get: (path, headers = {}) =>
			fetch(`${baseUrl}${path}`, { redirect: 'manual', headers: { ...auth, ...headers } }),
		post: (path, fields) =>
			fetch(`${baseUrl}${path}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					...auth,
					'content-type': 'application/x-www-form-urlencoded',
					origin: baseUrl,
					accept: 'text/html'
				},
				body: new URLSearchParams(fields)
			})
	};
}
