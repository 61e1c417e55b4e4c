// Errors that say the database could not do the work right now, not that the request was wrong:
// the connection was lost or refused, the server is shutting down or full, a statement ran past
// its timeout, SQLite's file stayed locked. The transaction under way was rolled back (a lost
// connection ends it on the server), so the client may send the same request again.

/** SQLSTATE classes and codes of PostgreSQL that a retry may get past. */
const retryableStates = [/^08/, /^57P0[123]$/, /^53300$/, /^57014$/, /^40001$/, /^40P01$/];

const retryableSystemCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH'
]);

/** pg's own messages for a connection it lost or could not make in time. */
const retryableMessages = [
	/Connection terminated/i,
	/timeout exceeded when trying to connect/i,
	/Client has encountered a connection error/i
];

export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') {
			if (code === 'SQLITE_BUSY' || retryableSystemCodes.has(code)) return true;
			if (retryableStates.some((state) => state.test(code))) return true;
		}
		if (retryableMessages.some((message) => message.test(e instanceof Error ? e.message : ''))) {
			return true;
		}
		e = e.cause;
	}
	return false;
}

/** Seconds a client waits before sending again. */
export const unavailableRetryAfter = 2;

/**
 * PostgreSQL's refusal of text it cannot store (the NUL character): the client's mistake, which
 * SQLite would have stored. Events refuse it while checked; any other field is answered 400.
 */
export function isUnstorableText(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
		const code = (e as { code?: unknown }).code;
		if (code === '22021' || code === '22P05') return true;
		e = e.cause;
	}
	return false;
}
