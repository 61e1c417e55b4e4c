import type { Cookies } from '@sveltejs/kit';
import { sessionCookie } from './sessions';

const local = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/** `Secure` everywhere but on the developer's own machine, where the app is served over plain HTTP. */
export function isLocalHost(hostname: string): boolean {
	return local.test(hostname);
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(sessionCookie, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalHost(url.hostname),
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookie, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalHost(url.hostname)
	});
}
