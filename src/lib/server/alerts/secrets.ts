import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Webhook signing secrets. Signing needs the secret itself, so a hash will not do: it is stored
// AES-256-GCM encrypted with the server's key. The key comes from WEBHOOK_SECRET_KEY (64 hex
// characters) or, without it, from `webhook-secret.key` beside the database, made on first use
// with the owner's permissions only. A copy of the database alone reveals no secret.

let cachedKey: Buffer | null = null;

function keyFromEnv(value: string): Buffer {
	if (!/^[0-9a-f]{64}$/i.test(value)) {
		throw new Error('WEBHOOK_SECRET_KEY must be 64 hexadecimal characters (32 bytes).');
	}
	return Buffer.from(value, 'hex');
}

/** The server's key: from the environment, else the key file beside the database. */
export function serverKey(env: Record<string, string | undefined> = process.env): Buffer {
	if (cachedKey) return cachedKey;
	if (env.WEBHOOK_SECRET_KEY) {
		cachedKey = keyFromEnv(env.WEBHOOK_SECRET_KEY);
		return cachedKey;
	}
	const database = env.DATABASE_PATH || './data/pilot-impact.db';
	if (database === ':memory:') {
		cachedKey = randomBytes(32);
		return cachedKey;
	}
	const file = join(dirname(resolve(database)), 'webhook-secret.key');
	if (!existsSync(file)) {
		mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
		// 'wx': two processes starting at once never overwrite each other's key.
		try {
			writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		chmodSync(file, 0o600);
	}
	cachedKey = keyFromEnv(readFileSync(file, 'utf8').trim());
	return cachedKey;
}

/** A new signing secret, as shown once to its owner. */
export function newSecret(): string {
	return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function encryptSecret(secret: string, key: Buffer = serverKey()): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
	return ['v1', iv, cipher.getAuthTag(), sealed]
		.map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
		.join(':');
}

export function decryptSecret(stored: string, key: Buffer = serverKey()): string {
	const [version, iv, tag, sealed] = stored.split(':');
	if (version !== 'v1' || !iv || !tag || !sealed) throw new Error('Unknown secret format');
	const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	return Buffer.concat([
		decipher.update(Buffer.from(sealed, 'base64url')),
		decipher.final()
	]).toString('utf8');
}
