import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	freshDatabase,
	startPostgres,
	type TestPostgres
} from '../../../../tests/support/postgres';
import type { Db } from '../db';
import { closePostgres, migratePostgres, openPostgres } from '../db/postgres';
import { sqlRows, sqlRun } from '../db/statements';
import { companyWideWebhooks, deliverDue, enqueueBody } from './outbox';
import { encryptSecret } from './secrets';
import { alertSettings } from './settings';

// Two app instances on one PostgreSQL database run the alert loop at once: each due delivery is
// claimed by one of them and sent once (tests/support/postgres.ts starts the server).

process.env.WEBHOOK_SECRET_KEY = randomBytes(32).toString('hex');

let server: TestPostgres;
let database: TestPostgres;
let first: Db;
let second: Db;
let receiver: Server;
let url = '';
const received: string[] = [];

beforeAll(async () => {
	server = await startPostgres();
	database = await freshDatabase(server.url);
	first = openPostgres(database.url, { poolSize: 3 });
	second = openPostgres(database.url, { poolSize: 3 });
	await migratePostgres(first);
	receiver = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			received.push(String(request.headers['pilot-impact-delivery']));
			// A slow receiver: the two instances' rounds overlap.
			setTimeout(() => response.writeHead(204).end(), 20);
		});
	});
	await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
	url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 120_000);

afterAll(async () => {
	receiver?.close();
	if (first) await closePostgres(first);
	if (second) await closePostgres(second);
	await database?.stop();
	await server?.stop();
});

describe('the webhook outbox on PostgreSQL', () => {
	test('two instances delivering at once send each due delivery once', async () => {
		const at = new Date();
		await sqlRun(
			first,
			`INSERT INTO webhooks (pilot_id, url, events, format, secret, created_by, created_at)
			 VALUES (NULL, ?, ?, 'json', ?, 'admin', ?)`,
			url,
			JSON.stringify(['digest.weekly']),
			encryptSecret('whsec_test'),
			at.toISOString()
		);
		const [webhook] = await companyWideWebhooks(second, 'digest.weekly');
		expect(webhook).toMatchObject({ url, pilotId: null, events: ['digest.weekly'] });
		for (let i = 0; i < 30; i++) {
			await enqueueBody(first, webhook.id, null, 'digest.weekly', `dlv_${i}`, '{}', at);
		}
		const settings = alertSettings({ WEBHOOK_TIMEOUT_MS: '5000' });
		const sent = await Promise.all([
			deliverDue(first, settings, at, 30),
			deliverDue(second, settings, at, 30),
			deliverDue(first, settings, at, 30),
			deliverDue(second, settings, at, 30)
		]);
		expect(sent.reduce((a, b) => a + b, 0)).toBe(30);
		expect(received).toHaveLength(30);
		expect(new Set(received).size).toBe(30);
		const statuses = await sqlRows<{ status: string; attempts: number }>(
			first,
			'SELECT DISTINCT status, attempts FROM webhook_deliveries'
		);
		expect(statuses).toEqual([{ status: 'delivered', attempts: 1 }]);
	});
});
