// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ApiKeySummary } from '$lib/server/auth/api-keys';
import type { PublicUser } from '$lib/server/auth/users';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in user, or null. Always set by hooks.server.ts. */
			user: PublicUser | null;
			/** The API key the request authenticated with, or null. */
			apiKey: ApiKeySummary | null;
			/** What the audit log needs to know about the request. */
			request: { method: string; path: string; address: string | null };
		}
	}
}

export {};
