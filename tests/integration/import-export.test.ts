import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../support/server';
import { adminEnv, signIn, testAdmin } from '../support/session';

// Exports against the built server: the events CSV reads back through the events API into a
// new pilot with an identical impact report; the wizard's batch endpoint keeps the valid rows
// of a batch and names the others by line.

const root = fileURLToPath(new URL('../..', import.meta.url));
const plan = JSON.parse(readFileSync(join(root, 'tests/fixtures/cli/plan.json'), 'utf8'));
const adminKey = 'pi_test-admin-key-for-the-export-tests-0123456789';

let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
let cookie: string;

beforeAll(async () => {
	dir = tempDir();
	server = await startServer({
		databasePath: join(dir.path, 'export.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: adminKey, ...adminEnv }
	});
	cookie = await signIn(server.url, testAdmin.email, testAdmin.password);
});
afterAll(async () => {
	await server?.stop();
	dir?.remove();
});

const api = (path: string, init: { method?: string; type?: string; body?: string } = {}) =>
	fetch(`${server.url}/api/v1${path}`, {
		method: init.method ?? 'GET',
		headers: {
			authorization: `Bearer ${adminKey}`,
			...(init.type ? { 'content-type': init.type } : {})
		},
		body: init.body
	});

const page = (path: string, init: { method?: string; body?: string } = {}) =>
	fetch(`${server.url}${path}`, {
		method: init.method ?? 'GET',
		redirect: 'manual',
		headers: {
			cookie,
			origin: server.url,
			...(init.body ? { 'content-type': 'application/json' } : {})
		},
		body: init.body
	});

/** A small deterministic generator (a linear congruential one), so the events are the same every run. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

/** Events of both phases and both cohorts, with awkward segments and full-precision numbers. */
function events(): Record<string, unknown>[] {
	const next = random(42);
	const segments = ['billing', 'Billing, EU', 'say "hi"', 'two\nlines', undefined];
	const list: Record<string, unknown>[] = [];
	for (let i = 0; i < 240; i++) {
		const pilotPhase = i % 2 === 1;
		const day = 1 + (i % 20);
		const month = pilotPhase ? '10' : '09';
		const at = `2026-${month}-${String(day).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00+02:00`;
		const measures: Record<string, number> = {
			handling_minutes: (pilotPhase ? 9 : 13) + next() * 6,
			error: next() < 0.1 ? 1 : 0,
			resolved: next() < 0.8 ? 1 : 0
		};
		if (i % 3 !== 0) measures.cost_eur = Math.round(next() * 500) / 100 + 1 / 3;
		if (i % 4 !== 0) measures.first_response_minutes = Math.floor(next() * 120);
		list.push({
			id: `case-${i}`,
			occurredAt: at,
			...(segments[i % 5] ? { segment: segments[i % 5] } : {}),
			cohort: i % 7 === 0 ? 'control' : 'ai',
			measures
		});
	}
	return list;
}

async function createPilot(slug: string, name: string): Promise<void> {
	const response = await api('/pilots', {
		method: 'POST',
		type: 'application/json',
		body: JSON.stringify({ ...plan, slug, name })
	});
	expect(response.status, await response.clone().text()).toBe(201);
}

/** The report without what names the pilot or the moment. */
async function impact(slug: string): Promise<unknown> {
	const response = await api(`/pilots/${slug}/impact`);
	expect(response.status).toBe(200);
	const report = (await response.json()) as Record<string, unknown>;
	delete report.pilot;
	delete report.generatedAt;
	return report;
}

describe('events CSV round trip', () => {
	test('export, import into a new pilot: the same impact report; again: all duplicates', async () => {
		await createPilot('source-pilot', 'Source pilot');
		const sent = await api('/pilots/source-pilot/events', {
			method: 'POST',
			type: 'application/json',
			body: JSON.stringify({ events: events() })
		});
		expect(await sent.json()).toEqual({ accepted: 240, duplicates: 0 });

		const exported = await page('/pilots/source-pilot/events.csv');
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(exported.headers.get('content-disposition')).toContain('source-pilot-events.csv');
		const csv = await exported.text();
		expect(csv.split('\r\n')[0]).toBe(
			'id,occurred_at,segment,cohort,cost_eur,error,first_response_minutes,handling_minutes,resolved'
		);
		expect(csv).toContain('"Billing, EU"');
		expect(csv).toContain('"say ""hi"""');

		await createPilot('copy-pilot', 'Copy pilot');
		const imported = await api('/pilots/copy-pilot/events', {
			method: 'POST',
			type: 'text/csv',
			body: csv
		});
		expect(await imported.json()).toEqual({ accepted: 240, duplicates: 0 });
		const original = await impact('source-pilot');
		expect(await impact('copy-pilot')).toEqual(original);
		expect(JSON.stringify(original)).not.toContain('insufficient_data');

		// The export is the events as stored: read back into either pilot, nothing is new.
		for (const slug of ['copy-pilot', 'source-pilot']) {
			const again = await api(`/pilots/${slug}/events`, {
				method: 'POST',
				type: 'text/csv',
				body: csv
			});
			expect(await again.json()).toEqual({ accepted: 0, duplicates: 240 });
		}
	});

	test('decision log and audit log as CSV', async () => {
		const decisions = await page('/pilots/source-pilot/decisions.csv');
		expect(decisions.status).toBe(200);
		expect(await decisions.text()).toBe(
			'decided_at,decision,recommended,override,decided_by,rationale\r\n'
		);
		const audit = await page('/audit.csv');
		expect(audit.status).toBe(200);
		const lines = (await audit.text()).trim().split('\r\n');
		expect(lines[0]).toBe(
			'at,actor_type,actor,action,target_type,target_id,target,pilot,detail,address,before,after'
		);
		expect(lines.some((line) => line.includes(',login.success,user,'))).toBe(true);
	});
});

describe('the import wizard’s batches', () => {
	const row = (line: number, id: string, at: string, measures: Record<string, unknown>) => ({
		line,
		event: { id, occurredAt: at, measures }
	});
	const batch = (mode: 'check' | 'store') => ({
		mode,
		rows: [
			row(2, 'w-1', '2026-09-10T08:00:00.000Z', { handling_minutes: 12 }),
			row(3, 'w-2', '2026-08-10T08:00:00.000Z', { handling_minutes: 12 }),
			row(4, 'w-3', '2026-10-10T08:00:00.000Z', { handling_minutez: 9 }),
			row(5, 'case-0', '2026-09-01T08:00:00.000Z', { handling_minutes: 1 }),
			row(6, 'w-4', '2026-10-10T08:00:00.000Z', { error: 1, resolved: 1 })
		]
	});

	test('check stores nothing; store keeps the valid rows and names the others by line', async () => {
		const checked = await page('/pilots/copy-pilot/data/import', {
			method: 'POST',
			body: JSON.stringify(batch('check'))
		});
		expect(checked.status).toBe(200);
		const preview = await checked.json();
		expect(preview).toMatchObject({ accepted: 2, duplicates: 0 });
		expect(preview.sample[0]).toMatchObject({ id: 'w-1', phase: 'baseline', day: '2026-09-10' });
		expect(preview.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5]);
		expect(preview.rejected[0].reason).toContain('outside both');
		expect(preview.rejected[1].reason).toContain('handling_minutez');
		expect(preview.rejected[2].reason).toContain('already stored with different content');

		const stored = await page('/pilots/copy-pilot/data/import', {
			method: 'POST',
			body: JSON.stringify(batch('store'))
		});
		const result = await stored.json();
		expect(result).toMatchObject({ accepted: 2, duplicates: 0 });
		expect(result.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5]);

		const again = await page('/pilots/copy-pilot/data/import', {
			method: 'POST',
			body: JSON.stringify(batch('store'))
		});
		expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
	});

	test('a batch from another site, or in another shape, is refused', async () => {
		const foreign = await fetch(`${server.url}/pilots/copy-pilot/data/import`, {
			method: 'POST',
			headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify(batch('store'))
		});
		expect(foreign.status).toBe(403);
		const shapeless = await page('/pilots/copy-pilot/data/import', {
			method: 'POST',
			body: JSON.stringify({ mode: 'delete', rows: 'all' })
		});
		expect(shapeless.status).toBe(422);
		expect(shapeless.headers.get('content-type')).toMatch(/^application\/problem\+json/);
	});
});
