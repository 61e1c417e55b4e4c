import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Password hashing with Node's scrypt at OWASP's recommended cost (N = 2^17, r = 8, p = 1),
// stored as a PHC string so the cost can be raised later without breaking old hashes.

const cost = { ln: 17, r: 8, p: 1 };
const keyLength = 32;

function derive(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
	const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 1024 * 1024 };
	return new Promise((done, fail) =>
		scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
			error ? fail(error) : done(key)
		)
	);
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, cost.ln, cost.r, cost.p);
	return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const phc = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/;

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
	const match = phc.exec(hash);
	if (!match) return false;
	const [, ln, r, p, salt, expected] = match;
	const key = await derive(password, Buffer.from(salt, 'base64url'), +ln, +r, +p);
	const wanted = Buffer.from(expected, 'base64url');
	return key.length === wanted.length && timingSafeEqual(key, wanted);
}

/** A constant-cost stand-in, so an unknown email takes as long as a wrong password. */
export const dummyHash =
	'$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
