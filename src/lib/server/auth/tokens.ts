import { createHash, randomBytes } from 'node:crypto';

/** A random token of `bytes` bytes, base64url: 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
	return randomBytes(bytes).toString('base64url');
}

/** Session tokens and API keys carry ≥ 128 random bits, so a fast hash stores them safely. */
export function sha256(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}
