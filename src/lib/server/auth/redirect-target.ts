// Where to send someone after signing in: only a path on this site, never an open redirect.

/**
 * The path (with query and fragment) `target` leads to when it is a path on `origin`, else
 * "/". The target is resolved the way a browser resolves a Location header (WHATWG URL:
 * tabs and line breaks dropped, backslashes read as slashes), so what passes here is what
 * the browser will do; and only the parsed, percent-encoded form is ever sent back, so no
 * character can break the header.
 */
export function sameSitePath(target: string | null, origin: string): string {
	if (!target || !target.startsWith('/')) return '/';
	let url: URL;
	try {
		url = new URL(target, origin);
	} catch {
		return '/';
	}
	if (url.origin !== origin) return '/';
	const path = url.pathname + url.search + url.hash;
	// A path that still starts with two slashes (or a slash and a backslash) would be read as
	// another host when sent back; it never names a page here anyway.
	return /^\/[/\\]/.test(path) ? '/' : path;
}
