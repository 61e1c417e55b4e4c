// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ApiKeySummary } from '$lib/server/auth/api-keys';
import type { PublicUser } from '$lib/server/auth/users';
import type { ProblemRowError } from '$lib/server/http/problem';

declare global {
	namespace App {
		/** What an endpoint throws (http/refusals.ts); the API answers it as problem+json. */
		interface Error {
			message: string;
			errors?: ProblemRowError[];
		}
		interface Locals {
			/** The signed-in user, or null. Always set by hooks.server.ts. */
			user: PublicUser | null;
			/** The API key the request authenticated with, or null. */
			apiKey: ApiKeySummary | null;
			/** What the audit log needs to know about the request. */
			request: { method: string; path: string; address: string | null };
			/** Set when the request failed because the database could not do the work right now. */
			databaseUnavailable?: boolean;
			/** Set when the request failed because the database cannot store its text (NUL). */
			unstorableText?: boolean;
		}
	}
}

export {};
