import { createHmac, timingSafeEqual } from 'node:crypto';

// The signature of a delivery, in the style of Stripe's: `t=<unix seconds>,v1=<hex HMAC-SHA256
// of "<t>.<raw body>">`. The timestamp is signed with the body, so a receiver that refuses old
// timestamps cannot be replayed an old delivery. README.md ("Webhooks") has the recipe.

export const signatureHeader = 'Pilot-Impact-Signature';

export function sign(secret: string, body: string, at: Date): string {
	const t = Math.floor(at.getTime() / 1000);
	const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
	return `t=${t},v1=${v1}`;
}

/**
 * The receiver's check: the header's HMAC matches the raw body and the timestamp is at most
 * `toleranceSeconds` away from `now`.
 */
export function verify(
	secret: string,
	body: string,
	header: string,
	now: Date = new Date(),
	toleranceSeconds = 300
): boolean {
	const parts = new Map(
		header.split(',').map((part) => {
			const at = part.indexOf('=');
			return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
		})
	);
	const t = Number(parts.get('t'));
	const v1 = parts.get('v1') ?? '';
	if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
	if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
	const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
	return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
