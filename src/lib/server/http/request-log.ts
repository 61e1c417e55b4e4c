import { randomUUID } from 'node:crypto';

// One JSON line per request on stdout, for operators and log shippers. It names the route
// pattern and the path without its query string (query strings may carry keys or tokens),
// and never a header, a cookie or a body.

export interface RequestLogLine {
	time: string;
	level: 'info' | 'warn' | 'error';
	id: string;
	method: string;
	route: string | null;
	path: string;
	status: number;
	durationMs: number;
}

/** A caller's own request id is kept when it is short and plain, so traces line up. */
const acceptableId = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestId(incoming: string | null): string {
	return incoming !== null && acceptableId.test(incoming) ? incoming : randomUUID();
}

/** Path segments that look like a secret (an API key, a long token) are masked. */
function safePath(pathname: string): string {
	return pathname
		.split('/')
		.map((segment) => (/^pi_|^[A-Za-z0-9_-]{40,}$/.test(segment) ? '[redacted]' : segment))
		.join('/');
}

export function logLine(entry: {
	id: string;
	method: string;
	route: string | null;
	pathname: string;
	status: number;
	durationMs: number;
	at: Date;
}): RequestLogLine {
	return {
		time: entry.at.toISOString(),
		level: entry.status >= 500 ? 'error' : entry.status >= 400 ? 'warn' : 'info',
		id: entry.id,
		method: entry.method,
		route: entry.route,
		path: safePath(entry.pathname).slice(0, 300),
		status: entry.status,
		durationMs: Math.round(entry.durationMs * 10) / 10
	};
}
