import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, tempDir, type RunningServer } from '../support/server';

// The HTTP contract of docs/api.md against the built server and a database file.

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'tests/fixtures/cli');
const plan = JSON.parse(readFileSync(join(fixtures, 'plan.json'), 'utf8'));

const adminKey = 'pi_test-admin-key-for-the-api-tests-0123456789';
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
	dir = tempDir();
	server = await startServer({
		databasePath: join(dir.path, 'api.db'),
		env: { SEED_DEMO: 'false', INIT_API_KEY: adminKey }
	});
});
afterAll(async () => {
	await server?.stop();
	dir?.remove();
});

const api = (path: string, init: RequestInit = {}, key: string | null = adminKey) =>
	fetch(`${server.url}/api/v1${path}`, {
		...init,
		headers: {
			...(init.headers as Record<string, string>),
			...(key ? { authorization: `Bearer ${key}` } : {})
		}
	});

const send = (path: string, type: string, body: BodyInit, method = 'POST'): Promise<Response> =>
	api(path, { method, headers: { 'content-type': type }, body });

/**
 * Sends a body past the server's limit the way a careful client does: the answer is read as
 * soon as it arrives. The server answers 413 and closes a connection it will not read to the
 * end, so the rest of the upload may fail (EPIPE) after the answer: that is expected, and fetch
 * would report only the failure.
 */
const sendTooLarge = (path: string, type: string, body: string): Promise<Response> =>
	new Promise((done, fail) => {
		let answered = false;
		const req = request(
			`${server.url}/api/v1${path}`,
			{ method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': type } },
			(res) => {
				answered = true;
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', fail);
				res.on('end', () =>
					done(
						new Response(Buffer.concat(chunks), {
							status: res.statusCode,
							headers: res.headers as Record<string, string>
						})
					)
				);
			}
		);
		req.on('error', (error) => {
			if (!answered) fail(error);
		});
		req.end(body);
	});

const json = (path: string, value: unknown, method = 'POST'): Promise<Response> =>
	send(path, 'application/json', JSON.stringify(value), method);

async function problem(response: Response, status: number) {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
	const body = await response.json();
	expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
	expect(typeof body.detail).toBe('string');
	return body as {
		detail: string;
		errors?: { index?: number; id?: string; path: string; message: string }[];
	};
}

async function createPilot(slug: string, overrides: Record<string, unknown> = {}) {
	const response = await json('/pilots', {
		...plan,
		slug,
		name: `${plan.name} ${slug}`,
		...overrides
	});
	expect(response.status).toBe(201);
	return response.json();
}

const eventCount = async (slug: string): Promise<number> => {
	const report = await (await api(`/pilots/${slug}/impact`)).json();
	const c = report.cases;
	return c.baseline.ai + c.baseline.control + c.pilot.ai + c.pilot.control;
};

const event = (id: string, occurredAt: string, measures: Record<string, number | boolean>) => ({
	id,
	occurredAt,
	measures
});

describe('pilots', () => {
	test('POST creates a pilot from a definition; GET returns it; a taken slug is 409', async () => {
		const created = await createPilot('defined');
		expect(created).toMatchObject({
			slug: 'defined',
			stage: 'draft',
			timezone: 'Europe/Madrid',
			baselineWindow: { start: '2026-08-31T22:00:00.000Z', end: '2026-09-30T22:00:00.000Z' },
			minSamples: 10,
			lockedAt: null,
			amendments: []
		});
		expect(created.metrics).toHaveLength(4);
		const read = await (await api('/pilots/defined')).json();
		expect(read).toEqual(created);
		const again = await json('/pilots', { ...plan, slug: 'defined', name: 'Other name' });
		expect((await problem(again, 409)).errors).toEqual([
			{ path: 'slug', message: 'already used by another pilot' }
		]);
		const list = await (await api('/pilots')).json();
		expect(list.pilots.map((p: { slug: string }) => p.slug)).toContain('defined');
	});

	test('an invalid definition is 422 with the path of each problem', async () => {
		const response = await json('/pilots', {
			...plan,
			slug: 'broken',
			metrics: [
				{ key: 'a', kind: 'ratio', numerator: 'x', direction: 'decrease', role: 'primary' },
				{ key: 'b', kind: 'quantile', quantile: 1.5, measure: 'y', direction: 'decrease' },
				{ key: 'c', kind: 'mean', measure: 'z', direction: 'decrease', role: 'guardrail' }
			]
		});
		const body = await problem(response, 422);
		expect(body.errors).toEqual(
			expect.arrayContaining([
				{ path: 'metrics.0.denominator', message: 'a ratio metric needs a denominator measure' },
				expect.objectContaining({ path: 'metrics.1.quantile' }),
				expect.objectContaining({ path: 'metrics.2.tolerance' })
			])
		);
	});

	test('unknown pilots are 404 everywhere, as problem+json', async () => {
		await problem(await api('/pilots/nope'), 404);
		await problem(await api('/pilots/nope/impact'), 404);
		await problem(await send('/pilots/nope/events', 'text/csv', 'id,occurred_at\n'), 404);
		await problem(await json('/pilots/nope/baseline/x', { n: 3 }, 'PUT'), 404);
	});
});

describe('access', () => {
	test('401 without a key, 403 with a key of another scope or pilot', async () => {
		await createPilot('guarded');
		const none = await problem(await api('/pilots/guarded/impact', {}, null), 401);
		expect(none.detail).toMatch(/API key/);
		await problem(await api('/pilots', {}, 'pi_not-a-key'), 401);
		const readOnly = await insertKey('pi_read-only-key-for-guarded-0123456789', 'guarded', [
			'read'
		]);
		expect((await api('/pilots/guarded/impact', {}, readOnly)).status).toBe(200);
		await problem(
			await api(
				'/pilots/guarded/events',
				{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' },
				readOnly
			),
			403
		);
		await problem(
			await api(
				'/pilots/guarded/baseline/handling_time',
				{
					method: 'PUT',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ n: 10, mean: 1, sd: 1, source: 'CRM' })
				},
				readOnly
			),
			403
		);
		await problem(
			await api(
				'/pilots',
				{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
				readOnly
			),
			403
		);
		// the portfolio lists only what the key may read
		const list = await (await api('/pilots', {}, readOnly)).json();
		expect(list.pilots.map((p: { slug: string }) => p.slug)).toEqual(['guarded']);
		// 401 comes before 404: an unknown caller learns nothing about which pilots exist
		await problem(await api('/pilots/nope/impact', {}, null), 401);
	});
});

describe('POST /pilots/{slug}/events', () => {
	beforeAll(async () => {
		await createPilot('ingest');
	});

	test('JSON { events }, a bare array, NDJSON and CSV are all accepted', async () => {
		const a = await json('/pilots/ingest/events', {
			events: [event('j-1', '2026-09-02T09:00:00+02:00', { handling_minutes: 12, error: false })]
		});
		expect(a.status).toBe(200);
		expect(await a.json()).toEqual({ accepted: 1, duplicates: 0 });
		const b = await json('/pilots/ingest/events', [
			event('j-2', '2026-10-02T09:00:00+02:00', { handling_minutes: 9, error: true })
		]);
		expect(await b.json()).toEqual({ accepted: 1, duplicates: 0 });
		const c = await send(
			'/pilots/ingest/events',
			'application/x-ndjson; charset=utf-8',
			[
				JSON.stringify(event('n-1', '2026-09-03T10:00:00Z', { handling_minutes: 11 })),
				'',
				JSON.stringify({ ...event('n-2', '2026-10-03T10:00:00Z', { error: 0 }), cohort: 'control' })
			].join('\n')
		);
		expect(await c.json()).toEqual({ accepted: 2, duplicates: 0 });
		const d = await send(
			'/pilots/ingest/events',
			'text/csv',
			'id,occurred_at,phase,segment,handling_minutes,error\n' +
				'c-1,2026-09-04T09:00:00+02:00,baseline,billing,13.5,0\n' +
				'c-2,2026-10-04T09:00:00+02:00,,,,1\n'
		);
		expect(await d.json()).toEqual({ accepted: 2, duplicates: 0 });
		expect(await eventCount('ingest')).toBe(6);
	});

	test('a retried batch changes nothing: every event is a duplicate', async () => {
		const batch = [
			event('r-1', '2026-09-05T09:00:00Z', { handling_minutes: 10 }),
			event('r-2', '2026-10-05T09:00:00Z', { handling_minutes: 8 })
		];
		expect(await (await json('/pilots/ingest/events', batch)).json()).toEqual({
			accepted: 2,
			duplicates: 0
		});
		const before = await (await api('/pilots/ingest/impact')).json();
		expect(await (await json('/pilots/ingest/events', batch)).json()).toEqual({
			accepted: 0,
			duplicates: 2
		});
		const after = await (await api('/pilots/ingest/impact')).json();
		expect({ ...after, generatedAt: null }).toEqual({ ...before, generatedAt: null });
	});

	test('one bad row stores nothing; the answer names its index, id and path', async () => {
		const before = await eventCount('ingest');
		const response = await json('/pilots/ingest/events', {
			events: [
				event('b-1', '2026-09-06T09:00:00Z', { handling_minutes: 10 }),
				event('b-2', '2026-09-06T10:00:00Z', { handling_minutes: 10, csat: 5 }),
				event('b-3', '2026-09-06T11:00:00Z', { error: 2 })
			]
		});
		const body = await problem(response, 422);
		expect(body.errors).toEqual([
			expect.objectContaining({ index: 1, id: 'b-2', path: 'events[1].measures.csat' }),
			expect.objectContaining({ index: 2, id: 'b-3', path: 'events[2].measures.error' })
		]);
		expect(await eventCount('ingest')).toBe(before);
	});

	test('the same id with other content is refused, and its batch not stored', async () => {
		const before = await eventCount('ingest');
		const response = await json('/pilots/ingest/events', [
			event('fresh-1', '2026-09-07T09:00:00Z', { handling_minutes: 10 }),
			event('r-1', '2026-09-05T09:00:00Z', { handling_minutes: 11 })
		]);
		const body = await problem(response, 422);
		expect(body.errors).toEqual([
			expect.objectContaining({ index: 1, id: 'r-1', path: 'events[1].id' })
		]);
		expect(await eventCount('ingest')).toBe(before);
	});

	test('events outside both windows, or with a phase the windows contradict, are refused', async () => {
		const body = await problem(
			await json('/pilots/ingest/events', [
				event('o-1', '2026-08-15T09:00:00Z', { handling_minutes: 10 }),
				{ ...event('o-2', '2026-09-08T09:00:00Z', { handling_minutes: 10 }), phase: 'pilot' }
			]),
			422
		);
		expect(body.errors).toEqual([
			expect.objectContaining({ index: 0, id: 'o-1', path: 'events[0].occurredAt' }),
			expect.objectContaining({ index: 1, id: 'o-2', path: 'events[1].phase' })
		]);
	});

	test('CSV: a column that is no measure of the plan, and a bad cell, are 422', async () => {
		const header = await problem(
			await send(
				'/pilots/ingest/events',
				'text/csv',
				'id,occurred_at,handling_mins\nx,2026-09-02T09:00:00Z,3\n'
			),
			422
		);
		expect(header.errors).toEqual([expect.objectContaining({ path: 'header.handling_mins' })]);
		// A header with no rows is checked all the same.
		const empty = await problem(
			await send('/pilots/ingest/events', 'text/csv', 'id,when,handling_minutes\n'),
			422
		);
		expect(empty.errors).toEqual([
			expect.objectContaining({ path: 'header.occurred_at' }),
			expect.objectContaining({ path: 'header.when' })
		]);
		const cell = await problem(
			await send(
				'/pilots/ingest/events',
				'text/csv',
				'id,occurred_at,handling_minutes\nx,2026-09-02T09:00:00Z,fast\n'
			),
			422
		);
		expect(cell.errors).toEqual([
			{
				index: 0,
				id: 'x',
				path: 'events[0].measures.handling_minutes',
				message: '"fast" is not a finite number'
			}
		]);
	});

	test('at most the first 100 row errors are listed', async () => {
		const events = Array.from({ length: 300 }, (_, i) =>
			event(`bad-${i}`, '2027-01-01T00:00:00Z', { handling_minutes: 1 })
		);
		const body = await problem(await json('/pilots/ingest/events', events), 422);
		expect(body.errors).toHaveLength(100);
	});

	test('415 for another content type, 400 for broken JSON', async () => {
		const wrong = await problem(
			await send('/pilots/ingest/events', 'application/xml', '<e/>'),
			415
		);
		expect(wrong.detail).toMatch(/text\/csv/);
		await problem(await send('/pilots/ingest/events', 'application/json', '{"events": ['), 400);
		await problem(await json('/pilots/ingest/events', { rows: [] }), 400);
	});

	test('413 beyond 10 MiB or 50,000 events, and nothing is stored', async () => {
		const before = await eventCount('ingest');
		const row = (i: number) => `big-${i},2026-09-10T09:00:00Z,12.5\n`;
		const many =
			'id,occurred_at,handling_minutes\n' +
			Array.from({ length: 50_001 }, (_, i) => row(i)).join('');
		expect(many.length).toBeLessThan(10 * 1024 * 1024);
		const tooMany = await problem(await send('/pilots/ingest/events', 'text/csv', many), 413);
		expect(tooMany.detail).toMatch(/50,000 events/);

		const padding = ' '.repeat(1024);
		const line = (i: number) =>
			JSON.stringify({
				...event(`huge-${i}`, '2026-09-10T09:00:00Z', { handling_minutes: 1 }),
				segment: padding.slice(0, 190)
			}) + '\n';
		const huge = Array.from({ length: 45_000 }, (_, i) => line(i)).join('');
		expect(huge.length).toBeGreaterThan(10 * 1024 * 1024);
		const tooLarge = await problem(
			await sendTooLarge('/pilots/ingest/events', 'application/x-ndjson', huge),
			413
		);
		expect(tooLarge.detail).toMatch(/10 MiB/);
		expect(await eventCount('ingest')).toBe(before);
		// the server is still fine afterwards
		expect((await api('/pilots/ingest')).status).toBe(200);
	});
});

describe('large batches at once', () => {
	test('five bodies near the size limit, sent together, are all stored', async () => {
		const before = await eventCount('ingest');
		// Accented segments make the decoded text two bytes a character: the heaviest case.
		const segment = 'é'.repeat(50);
		const body = (batch: number) =>
			JSON.stringify(
				Array.from({ length: 50_000 }, (_, i) => ({
					...event(`max-${batch}-${i}`, '2026-09-10T09:00:00Z', { handling_minutes: 1 + (i % 9) }),
					segment
				}))
			);
		const bodies = Array.from({ length: 5 }, (_, b) => body(b));
		for (const b of bodies) expect(Buffer.byteLength(b)).toBeLessThan(10 * 1024 * 1024);
		const answers = await Promise.all(
			bodies.map((b) => send('/pilots/ingest/events', 'application/json', b))
		);
		for (const answer of answers) {
			expect(answer.status).toBe(200);
			expect(await answer.json()).toEqual({ accepted: 50_000, duplicates: 0 });
		}
		expect(await eventCount('ingest')).toBe(before + 250_000);
	}, 120_000);
});

describe('plan lock and baseline summaries', () => {
	test('after the pilot starts, changing the plan needs an amendment reason; every report shows it', async () => {
		const created = await createPilot('locked');
		const {
			lockedAt: _l,
			amendments: _a,
			baselineSummaries: _b,
			stage: _s,
			...definition
		} = created;
		void [_l, _a, _b, _s];
		// Starting is a lifecycle action of the app; lock here as the start would.
		await lockInDatabase('locked');
		const changed = { ...definition, minSamples: 50 };
		const refused = await problem(await json('/pilots/locked', changed, 'PUT'), 409);
		expect(refused.errors).toEqual([expect.objectContaining({ path: 'amendment.reason' })]);
		const amended = await json(
			'/pilots/locked',
			{ ...changed, amendment: { reason: 'Volume dropped; more cases per phase needed' } },
			'PUT'
		);
		expect(amended.status).toBe(200);
		const report = await (await api('/pilots/locked/impact')).json();
		expect(report.amendments).toEqual([
			expect.objectContaining({ reason: 'Volume dropped; more cases per phase needed' })
		]);
		expect(report.settings.minSamples).toBe(50);
		// editing the charter only needs no reason
		const charterOnly = await json(
			'/pilots/locked',
			{ ...changed, process: 'Route support email by urgency' },
			'PUT'
		);
		expect(charterOnly.status).toBe(200);

		const summary = { n: 180, mean: 14.2, sd: 6.1, source: 'Zendesk export, August' };
		await problem(await json('/pilots/locked/baseline/handling_time', summary, 'PUT'), 409);
		const put = await json(
			'/pilots/locked/baseline/handling_time',
			{ ...summary, amendment: { reason: 'Baseline events were lost in a migration' } },
			'PUT'
		);
		expect(put.status).toBe(200);
	});

	test('baseline summaries: 404 for an unknown metric, 422 for the wrong form', async () => {
		await createPilot('summaries');
		await problem(
			await json('/pilots/summaries/baseline/nope', { n: 10, successes: 1, source: 'CRM' }, 'PUT'),
			404
		);
		await problem(
			await json(
				'/pilots/summaries/baseline/error_rate',
				{ n: 10, mean: 1, sd: 1, source: 'CRM' },
				'PUT'
			),
			422
		);
		const ok = await json(
			'/pilots/summaries/baseline/error_rate',
			{ n: 200, successes: 14, source: 'QA sample' },
			'PUT'
		);
		expect(ok.status).toBe(200);
		const report = await (await api('/pilots/summaries/impact')).json();
		const errorRate = report.metrics.find((m: { key: string }) => m.key === 'error_rate');
		expect(errorRate.baseline).toEqual({
			n: 200,
			value: 0.07,
			source: 'summary',
			sourceNote: 'QA sample'
		});
	});
});

/** A pilot-bound key, as the app's data page would create it (stored as its SHA-256). */
async function insertKey(key: string, slug: string, scopes: string[]): Promise<string> {
	await server.database.query(
		`INSERT INTO api_keys (prefix, hash, name, scopes, pilot_id, created_at)
		 VALUES (?, ?, 'test', ?, (SELECT id FROM pilots WHERE slug = ?), '2026-10-01T00:00:00.000Z')`,
		key.slice(0, 11),
		createHash('sha256').update(key).digest('hex'),
		JSON.stringify(scopes),
		slug
	);
	return key;
}

/** Puts a pilot in the running stage, as starting it in the app would. */
async function runInDatabase(slug: string): Promise<void> {
	await server.database.query("UPDATE pilots SET stage = 'running' WHERE slug = ?", slug);
}

/** Locks a pilot's plan from a second connection, as an operator would. */
async function lockInDatabase(slug: string): Promise<void> {
	await server.database.query(
		"UPDATE plans SET locked_at = '2026-10-01T00:00:00.000Z' WHERE pilot_id = (SELECT id FROM pilots WHERE slug = ?)",
		slug
	);
}

describe('POST /pilots/{slug}/decisions', () => {
	test('stores the decision with the recommendation of the moment; an override needs a rationale', async () => {
		await createPilot('decide');
		await problem(await json('/pilots/decide/decisions', { decision: 'scale' }), 409);
		await runInDatabase('decide');
		const report = await (await api('/pilots/decide/impact')).json();
		expect(report.recommendation.decision).toBe('keep_measuring');
		const bare = await problem(await json('/pilots/decide/decisions', { decision: 'scale' }), 422);
		expect(bare.errors).toEqual([expect.objectContaining({ path: 'rationale' })]);
		await problem(await json('/pilots/decide/decisions', { decision: 'maybe' }), 422);
		const recorded = await json('/pilots/decide/decisions', {
			decision: 'discard',
			rationale: 'The vendor ends the product; measuring further has no use.'
		});
		expect(recorded.status).toBe(201);
		expect(await recorded.json()).toMatchObject({
			decision: 'discard',
			recommended: 'keep_measuring',
			override: true
		});
		expect((await (await api('/pilots/decide')).json()).stage).toBe('decided');
		const list = await (await api('/pilots')).json();
		expect(
			list.pilots.find((p: { slug: string }) => p.slug === 'decide').lastDecision
		).toMatchObject({
			decision: 'discard'
		});
		await problem(
			await json('/pilots/decide/decisions', { decision: 'discard', rationale: 'x'.repeat(30) }),
			409
		);
	});
});

describe('the impact report of the API equals the CLI on the same files', () => {
	const exec = promisify(execFile);

	test.each(['events.csv', 'events.ndjson'])('%s', async (file) => {
		const slug = `same-${file.replace('.', '-')}`;
		await createPilot(slug, { name: plan.name + ' ' + file });
		const type = file.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson';
		const sent = await send(`/pilots/${slug}/events`, type, readFileSync(join(fixtures, file)));
		expect(sent.status).toBe(200);
		const api = await (await fetchImpact(slug)).json();
		// After the pilot window, days elapsed no longer depend on the clock.
		const { stdout } = await exec(
			process.execPath,
			[
				'bin/pilot-impact.js',
				'analyze',
				'--plan',
				join(fixtures, 'plan.json'),
				'--events',
				join(fixtures, file),
				'--as-of',
				api.generatedAt
			],
			{ cwd: root }
		);
		const cli = JSON.parse(stdout);
		const differences = compare(api, cli, '');
		expect(differences).toEqual([
			`.pilot.name: ${JSON.stringify(api.pilot.name)} vs "${plan.name}"`,
			`.pilot.slug: "${slug}" vs "email-triage"`,
			'.pilot.stage: "draft" vs "running"'
		]);
	});
});

const fetchImpact = (slug: string): Promise<Response> => api(`/pilots/${slug}/impact`);

/** Field-by-field differences; numbers equal to 1e-12 relative (sums in another order). */
function compare(a: unknown, b: unknown, path: string): string[] {
	if (typeof a === 'number' && typeof b === 'number') {
		return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)) ? [] : [`${path}: ${a} vs ${b}`];
	}
	if (Array.isArray(a) && Array.isArray(b)) {
		if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
		return a.flatMap((x, i) => compare(x, b[i], `${path}[${i}]`));
	}
	if (a && b && typeof a === 'object' && typeof b === 'object') {
		const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
		return keys.flatMap((k) =>
			compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
		);
	}
	return JSON.stringify(a) === JSON.stringify(b)
		? []
		: [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}
