import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../support/server';

// A plan or a body cannot take ingestion down (issue 15, item 4), and every change through
// the API is audited, batches once each with their counts (item 7).

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const plan = JSON.parse(readFileSync(join(root, 'tests/fixtures/cli/plan.json'), 'utf8'));
const key = 'pi_ingest-safety-admin-key-0123456789abcdef';

let server: RunningServer;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
	dir = tempDir();
	server = await startServer({
		databasePath: join(dir.path, 'safety.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: key, API_RATE_LIMIT: '0' }
	});
});
afterAll(async () => {
	await server?.stop();
	dir?.remove();
});

const call = (base: string, path: string, init: RequestInit = {}) =>
	fetch(`${base}/api/v1${path}`, {
		...init,
		headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) }
	});
const send = (base: string, path: string, type: string, body: BodyInit, method = 'POST') =>
	call(base, path, { method, headers: { 'content-type': type }, body });
const sendJson = (base: string, path: string, value: unknown, method = 'POST') =>
	send(base, path, 'application/json', JSON.stringify(value), method);

const events = (prefix: string, count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `${prefix}-${i}`,
		occurredAt: `2026-09-${String(2 + (i % 27)).padStart(2, '0')}T09:00:00Z`,
		measures: { handling_minutes: 5 + (i % 7), error: i % 2, cost_eur: 3, resolved: 1 }
	}));

interface AuditRow {
	action: string;
	actor_label: string;
	target_label: string | null;
	before: string | null;
	after: string | null;
	detail: string | null;
}
function auditRows(action: string): AuditRow[] {
	const Database = require('better-sqlite3');
	const db = new Database(server.databasePath, { readonly: true });
	try {
		return db
			.prepare(
				'SELECT action, actor_label, target_label, before, after, detail FROM audit_log WHERE action = ? ORDER BY id'
			)
			.all(action) as AuditRow[];
	} finally {
		db.close();
	}
}

describe('a plan cannot crash ingestion', () => {
	test.each(['valueOf', 'toString', 'constructor', 'hasOwnProperty'])(
		'a metric measuring "%s" is refused',
		async (name) => {
			const response = await sendJson(server.url, '/pilots', {
				...plan,
				slug: `named-${name.toLowerCase()}`,
				name: `Named ${name}`,
				metrics: [{ ...plan.metrics[0], measure: name }]
			});
			expect(response.status).toBe(422);
			const body = await response.json();
			expect(body.errors).toContainEqual({
				path: 'metrics.0.measure',
				message: expect.stringContaining(name)
			});
		}
	);

	test('ten mebibytes of nested [ are refused; honest batches sent meanwhile all succeed', async () => {
		const created = await sendJson(server.url, '/pilots', {
			...plan,
			slug: 'nested',
			name: 'Nested'
		});
		expect(created.status).toBe(201);
		const nested = '['.repeat(10 * 1024 * 1024 - 16);
		const honest = Array.from({ length: 4 }, (_, b) =>
			sendJson(server.url, '/pilots/nested/events', events(`h${b}`, 2000))
		);
		const [json, ndjson, ...batches] = await Promise.all([
			send(server.url, '/pilots/nested/events', 'application/json', nested),
			send(server.url, '/pilots/nested/events', 'application/x-ndjson', nested),
			...honest
		]);
		for (const refused of [json, ndjson]) {
			expect(refused.status).toBe(400);
			expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			expect((await refused.json()).detail).toMatch(/nests deeper than 64 levels/);
		}
		for (const batch of batches) {
			expect(batch.status).toBe(200);
			expect(await batch.json()).toEqual({ accepted: 2000, duplicates: 0 });
		}
		// The same bound guards the endpoints that parse JSON on the main thread (under their
		// 1 MiB body limit; beyond it they answer 413 before parsing).
		const definition = await send(
			server.url,
			'/pilots/nested',
			'application/json',
			nested.slice(0, 512 * 1024),
			'PUT'
		);
		expect(definition.status).toBe(400);
		const tooLarge = await send(server.url, '/pilots/nested', 'application/json', nested, 'PUT');
		expect(tooLarge.status).toBe(413);
	});
});

describe('a crashed event checker', () => {
	let small: RunningServer;
	let smallDir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		smallDir = tempDir();
		// Workers with a heap too small for a full batch: such a batch crashes the one checking it.
		small = await startServer({
			databasePath: join(smallDir.path, 'small.db'),
			env: {
				SEED_DEMO: 'false',
				INIT_API_KEY: key,
				API_RATE_LIMIT: '0',
				INGEST_WORKER_HEAP_MB: '24'
			}
		});
		expect((await sendJson(small.url, '/pilots', { ...plan, slug: 'fragile' })).status).toBe(201);
	});
	afterAll(async () => {
		await small?.stop();
		smallDir?.remove();
	});

	test('fails only its batch, retryable, and later batches are still checked by workers', async () => {
		const large = JSON.stringify(events('big', 50_000));
		for (let round = 0; round < 3; round++) {
			const crashed = await send(small.url, '/pilots/fragile/events', 'application/json', large);
			expect(crashed.status).toBe(503);
			expect(crashed.headers.get('retry-after')).toBe('1');
			expect((await crashed.json()).detail).toMatch(/nothing was stored/);
			const honest = await sendJson(small.url, '/pilots/fragile/events', events(`ok${round}`, 50));
			expect(honest.status).toBe(200);
			expect(await honest.json()).toEqual({ accepted: 50, duplicates: 0 });
		}
		// Still in workers: the main thread's heap would have taken the large batch.
		expect(small.output()).toMatch(/an event checker stopped and was restarted/);
		expect(small.output()).not.toMatch(/stay in the main thread/);
	});
});

describe('changes through the API are audited', () => {
	test('POST /pilots records the created definition', async () => {
		const created = await sendJson(server.url, '/pilots', { ...plan, slug: 'audited' });
		expect(created.status).toBe(201);
		const [row] = auditRows('pilot.create').filter((r) => r.target_label === plan.name);
		expect(row.actor_label).toBe(`${key.slice(0, 11)}…`);
		expect(row.before).toBeNull();
		expect(JSON.parse(row.after!)).toMatchObject({ slug: 'audited', name: plan.name });
	});

	test('PUT /pilots/{slug} records the whole definition before and after', async () => {
		const renamed = {
			...plan,
			slug: 'audited',
			name: 'Renamed triage',
			governance: { ...plan.governance, killSwitch: '' }
		};
		expect((await sendJson(server.url, '/pilots/audited', renamed, 'PUT')).status).toBe(200);
		const rows = auditRows('pilot.update').filter((r) => r.target_label === 'Renamed triage');
		expect(rows).toHaveLength(1);
		const before = JSON.parse(rows[0].before!);
		const after = JSON.parse(rows[0].after!);
		expect(before).toMatchObject({ name: plan.name, governance: { killSwitch: 'Feature flag' } });
		expect(after).toMatchObject({ name: 'Renamed triage', governance: { killSwitch: '' } });
		// An unchanged definition is no change.
		expect((await sendJson(server.url, '/pilots/audited', renamed, 'PUT')).status).toBe(200);
		expect(
			auditRows('pilot.update').filter((r) => r.target_label === 'Renamed triage')
		).toHaveLength(1);
	});

	test('an event batch writes one audit row with its counts, not one per event', async () => {
		const first = await sendJson(server.url, '/pilots/audited/events', events('a', 300));
		expect(first.status).toBe(200);
		const retry = await sendJson(server.url, '/pilots/audited/events', events('a', 310));
		expect(await retry.json()).toEqual({ accepted: 10, duplicates: 300 });
		const refused = await sendJson(server.url, '/pilots/audited/events', [{ id: 'x' }]);
		expect(refused.status).toBe(422);
		const rows = auditRows('events.ingest').filter((r) => r.target_label === 'audited');
		expect(rows.map((r) => JSON.parse(r.after!))).toEqual([
			{ received: 300, accepted: 300, duplicates: 0, format: 'application/json' },
			{ received: 310, accepted: 10, duplicates: 300, format: 'application/json' }
		]);
	});
});
