import fc from 'fast-check';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { fixturePlan } from './model';

// Hostile input against every API endpoint and every form action: random JSON and bytes,
// huge strings, deep nesting, NaN/Infinity spelled as strings, timestamps far in the past or
// future, wrong content types, odd slugs. The server must never answer 5xx, must answer the
// API in problem+json and forms with a form error, and must write nothing.
//
// Structured bodies are valid ones with one field made hostile ("anchor" fields, whose every
// hostile value is invalid), so that they get past parsing and reach the checks behind it.

type Kind = 'number' | 'enum' | 'instant' | 'id' | 'text';

const specialStrings = [
	'NaN',
	'Infinity',
	'-Infinity',
	'1e999',
	'-1e999',
	'',
	'   ',
	'abc',
	'12abc',
	'١٢٣',
	'null',
	'undefined',
	'9'.repeat(400)
];
const farTimestamps = [
	'+275760-09-13T00:00:00Z',
	'-271821-04-20T00:00:00Z',
	'0000-01-01T00:00:00Z',
	'9999-12-31T23:59:59Z',
	'10000-01-01T00:00:00Z',
	'2026-02-30T00:00:00Z',
	'1970-01-01T00:00:00Z',
	'2026-10-03T25:61:00Z',
	'2026-10-03'
];

const hugeString = fc.integer({ min: 2_001, max: 300_000 }).map((n) => 'x'.repeat(n));

function nested(depth: number): unknown {
	let value: unknown = 1;
	for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
	return value;
}
const deepValue = fc.integer({ min: 1, max: 3_000 }).map(nested);
const nonNumericJson = fc
	.jsonValue()
	.filter((v) => typeof v !== 'number' && typeof v !== 'boolean');

/** Hostile values that are invalid wherever a field of this kind stands. */
const hostile: Record<Kind, fc.Arbitrary<unknown>> = {
	number: fc.oneof(
		fc.constantFrom(...specialStrings, ...farTimestamps),
		hugeString,
		deepValue,
		nonNumericJson
	),
	enum: fc.oneof(
		fc.constantFrom(...specialStrings, ...farTimestamps),
		hugeString,
		deepValue,
		fc.jsonValue()
	),
	instant: fc.oneof(
		fc.constantFrom(...specialStrings, ...farTimestamps),
		hugeString,
		deepValue,
		fc.jsonValue().filter((v) => typeof v !== 'string')
	),
	id: fc.oneof(
		hugeString.map((s) => s.slice(0, 201 + (s.length % 1_000))),
		fc.constant(''),
		deepValue,
		nonNumericJson.filter((v) => typeof v !== 'string')
	),
	text: fc.oneof(fc.constantFrom('', '   '), hugeString)
};
/** Anything, for fields that are not the anchor. */
const anyValue = fc.oneof(
	fc.constantFrom(...specialStrings, ...farTimestamps),
	hugeString,
	deepValue,
	fc.jsonValue()
);

interface Anchor {
	path: (string | number)[];
	kind: Kind;
}

const event = {
	id: 'fuzz-1',
	occurredAt: '2026-10-03T09:14:00+02:00',
	measures: { handling_minutes: 7, error: 0, cost_eur: 3, resolved: 1, first_response_minutes: 40 }
};

/** API endpoints; `{slug}` is the fuzz pilot or a hostile slug. */
const apiTargets: {
	method: string;
	path: string;
	template?: unknown;
	anchors?: Anchor[];
	types?: string[];
}[] = [
	{ method: 'GET', path: '/api/v1/pilots' },
	{
		method: 'POST',
		path: '/api/v1/pilots',
		template: { ...fixturePlan, slug: 'fuzzed-new' },
		anchors: [
			{ path: ['baselineWindow', 'end'], kind: 'instant' },
			{ path: ['metrics', 0, 'kind'], kind: 'enum' },
			{ path: ['minSamples'], kind: 'number' }
		]
	},
	{ method: 'GET', path: '/api/v1/pilots/{slug}' },
	{
		method: 'PUT',
		path: '/api/v1/pilots/{slug}',
		template: { ...fixturePlan, slug: 'fuzz' },
		anchors: [
			{ path: ['pilotWindow', 'start'], kind: 'instant' },
			{ path: ['metrics', 1, 'direction'], kind: 'enum' },
			{ path: ['economics', 'hourlyCost'], kind: 'number' }
		]
	},
	{
		method: 'POST',
		path: '/api/v1/pilots/{slug}/events',
		template: { events: [event, { ...event, id: 'fuzz-2' }] },
		anchors: [
			{ path: ['events', 1, 'id'], kind: 'id' },
			{ path: ['events', 1, 'occurredAt'], kind: 'instant' },
			{ path: ['events', 1, 'measures', 'handling_minutes'], kind: 'number' },
			{ path: ['events', 1, 'cohort'], kind: 'enum' }
		],
		types: ['application/json', 'application/x-ndjson', 'text/csv']
	},
	{
		method: 'PUT',
		path: '/api/v1/pilots/{slug}/baseline/handling_time',
		template: { n: 180, mean: 14.2, sd: 6.1, source: 'export' },
		anchors: [
			{ path: ['n'], kind: 'number' },
			{ path: ['sd'], kind: 'number' }
		]
	},
	{ method: 'GET', path: '/api/v1/pilots/{slug}/impact' },
	{ method: 'GET', path: '/api/v1/pilots/{slug}/evaluations' },
	{
		method: 'POST',
		path: '/api/v1/pilots/{slug}/evaluations',
		template: {
			name: 'prompt v3',
			runAt: '2026-10-10T10:00:00Z',
			criteria: { correct: { passed: 9, total: 10 } }
		},
		anchors: [
			{ path: ['criteria', 'correct', 'passed'], kind: 'number' },
			{ path: ['runAt'], kind: 'instant' }
		]
	},
	{
		method: 'POST',
		path: '/api/v1/pilots/{slug}/decisions',
		template: { decision: 'correct', rationale: 'The guardrail is unclear' },
		anchors: [{ path: ['decision'], kind: 'enum' }]
	},
	{ method: 'GET', path: '/api/v1/me' },
	{ method: 'GET', path: '/api/v1/openapi.json' },
	{ method: 'DELETE', path: '/api/v1/pilots/{slug}' },
	{ method: 'PATCH', path: '/api/v1/pilots/{slug}/events' }
];

/** Form actions; fields are the form's own names, the anchor makes every submission invalid. */
const formTargets: {
	path: string;
	fields: string[];
	anchor?: { field: string; kind: Kind };
	anonymous?: boolean;
}[] = [
	{
		path: '/login',
		fields: ['email', 'password', 'redirectTo'],
		anchor: { field: 'email', kind: 'text' },
		anonymous: true
	},
	{ path: '/logout', fields: [], anonymous: true },
	{
		path: '/pilots/new',
		fields: ['name', 'process', 'timezone', 'charter.problem'],
		anchor: { field: 'name', kind: 'text' }
	},
	{
		path: '/pilots/{slug}/edit',
		fields: ['name', 'process', 'timezone', 'governance.killSwitch'],
		anchor: { field: 'name', kind: 'text' }
	},
	{
		path: '/pilots/{slug}?/stage',
		fields: ['action', 'decision', 'rationale'],
		anchor: { field: 'action', kind: 'enum' }
	},
	{
		path: '/pilots/{slug}?/setMember',
		fields: ['email', 'role'],
		anchor: { field: 'email', kind: 'text' }
	},
	{
		path: '/pilots/{slug}?/removeMember',
		fields: ['userId'],
		anchor: { field: 'userId', kind: 'number' }
	},
	{
		path: '/pilots/{slug}/plan?/save',
		fields: [
			'metrics.0.key',
			'metrics.0.kind',
			'minSamples',
			'economics.hourlyCost',
			'amendment.reason'
		],
		anchor: { field: 'minSamples', kind: 'number' }
	},
	{
		path: '/pilots/{slug}/baseline?/summary',
		fields: ['metricKey', 'n', 'mean', 'sd', 'successes', 'source', 'reason'],
		anchor: { field: 'n', kind: 'number' }
	},
	{
		path: '/pilots/{slug}/data?/createKey',
		fields: ['name', 'scopes'],
		anchor: { field: 'name', kind: 'text' }
	},
	{
		path: '/pilots/{slug}/data?/revokeKey',
		fields: ['id'],
		anchor: { field: 'id', kind: 'number' }
	},
	{
		path: '/pilots/{slug}/evaluations?/record',
		fields: ['name', 'runAt', 'correct.passed', 'correct.total'],
		anchor: { field: 'correct.passed', kind: 'number' }
	},
	{
		path: '/pilots/{slug}/evaluations?/upload',
		fields: ['name', 'file'],
		anchor: { field: 'name', kind: 'text' }
	},
	{
		path: '/admin/users?/createUser',
		fields: ['email', 'name', 'role', 'password'],
		anchor: { field: 'email', kind: 'text' }
	},
	{
		path: '/admin/users?/changeUser',
		fields: ['userId', 'role', 'disabled'],
		anchor: { field: 'userId', kind: 'number' }
	},
	{ path: '/admin/users?/createKey', fields: ['name'], anchor: { field: 'name', kind: 'text' } },
	{ path: '/admin/users?/revokeKey', fields: ['id'], anchor: { field: 'id', kind: 'number' } }
];

const hostileSlug = fc.oneof(
	{ weight: 6, arbitrary: fc.constant('fuzz') },
	{
		weight: 1,
		arbitrary: fc.constantFrom('..', '%00', 'NaN', 'a'.repeat(5_000), '💥', '<script>', ' ')
	},
	{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 50 }) }
);

const wrongTypes = [
	'text/plain',
	'application/xml',
	'multipart/form-data; boundary=x',
	'application/x-www-form-urlencoded',
	'application/json; charset=utf-16',
	'application/octet-stream',
	'',
	'garbage/;;;',
	'application/problem+json'
];

function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
	const copy = structuredClone(value) as Record<string | number, unknown>;
	let at = copy;
	for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
	at[path[path.length - 1]] = replacement;
	return copy;
}

/** A body: mutated template (JSON, NDJSON or CSV text), random JSON, bytes, deep or huge text. */
function bodyArb(template: unknown, anchors: readonly Anchor[]): fc.Arbitrary<string | Uint8Array> {
	const structured = fc
		.tuple(fc.constantFrom(...anchors), fc.nat())
		.chain(([anchor]) =>
			hostile[anchor.kind].map((v) => JSON.stringify(setAt(template, anchor.path, v)))
		);
	return fc.oneof(
		{ weight: 6, arbitrary: structured },
		{ weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
		{ weight: 1, arbitrary: fc.uint8Array({ maxLength: 4_000 }) },
		{
			weight: 1,
			arbitrary: fc.integer({ min: 1, max: 200_000 }).map((d) => '['.repeat(d) + ']'.repeat(d))
		},
		{
			weight: 1,
			arbitrary: fc
				.integer({ min: 1, max: 200_000 })
				.map((d) => '{"events":'.repeat(d) + '[]' + '}'.repeat(d))
		},
		{
			weight: 1,
			arbitrary: hugeString.map((s) => JSON.stringify({ events: [{ ...event, id: s }] }))
		},
		{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }) },
		{
			weight: 1,
			arbitrary: structured.chain((s) => fc.nat({ max: s.length }).map((cut) => s.slice(0, cut)))
		}
	);
}

interface ApiCase {
	kind: 'api';
	method: string;
	path: string;
	contentType: string | null;
	body: string | Uint8Array | null;
}
interface FormCase {
	kind: 'form';
	path: string;
	anonymous: boolean;
	encoding: 'urlencoded' | 'multipart' | 'json' | 'bytes';
	fields: [string, string][];
	raw: string | Uint8Array;
}
export type FuzzCase = ApiCase | FormCase;

const apiCaseArb: fc.Arbitrary<ApiCase> = fc
	.tuple(fc.constantFrom(...apiTargets), hostileSlug)
	.chain(([target, slug]) => {
		const path = target.path.replace('{slug}', encodeURIComponent(slug));
		if (!target.template || !target.anchors) {
			return fc.constant<ApiCase>({
				kind: 'api',
				method: target.method,
				path,
				contentType: null,
				body: null
			});
		}
		const types = target.types ?? ['application/json'];
		return fc.record({
			kind: fc.constant('api' as const),
			method: fc.constant(target.method),
			path: fc.constant(path),
			contentType: fc.oneof(
				{ weight: 4, arbitrary: fc.constantFrom(...types) },
				{ weight: 1, arbitrary: fc.constantFrom<string | null>(...wrongTypes, null) }
			),
			body: bodyArb(target.template, target.anchors)
		});
	});

const formValue = fc.oneof(
	anyValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
	fc.string({ unit: 'binary', maxLength: 300 })
);

const formCaseArb: fc.Arbitrary<FormCase> = fc
	.tuple(fc.constantFrom(...formTargets), hostileSlug)
	.chain(([target, slug]) =>
		fc.record({
			kind: fc.constant('form' as const),
			path: fc.constant(target.path.replace('{slug}', encodeURIComponent(slug))),
			anonymous: fc.constant(target.anonymous ?? false),
			encoding: fc.constantFrom(
				'urlencoded' as const,
				'urlencoded' as const,
				'multipart' as const,
				'json' as const,
				'bytes' as const
			),
			fields: fc
				.tuple(
					fc.array(
						fc.tuple(
							fc.constantFrom(...target.fields, 'extra', '__proto__', 'a.b.c', '0'),
							formValue
						),
						{ maxLength: 8 }
					),
					target.anchor
						? hostile[target.anchor.kind].map((v) =>
								typeof v === 'string' ? v : JSON.stringify(v)
							)
						: fc.constant(null)
				)
				.map(([fields, anchorValue]) => {
					const anchor = target.anchor;
					if (!anchor || anchorValue === null) return fields;
					// The anchor's hostile value is the one the form reads (its first).
					return [
						[anchor.field, anchorValue] as [string, string],
						...fields.filter(([name]) => name !== anchor.field)
					];
				}),
			raw: fc.oneof(
				fc.uint8Array({ maxLength: 2_000 }),
				fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null')
			)
		})
	);

export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = fc.oneof(
	{ weight: 3, arbitrary: apiCaseArb },
	{ weight: 2, arbitrary: formCaseArb }
);

export function describeCase(c: FuzzCase): string {
	const cut = (s: string): string =>
		s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
	if (c.kind === 'api') {
		const body =
			c.body === null ? '' : typeof c.body === 'string' ? cut(c.body) : `<${c.body.length} bytes>`;
		return `${c.method} ${cut(c.path)} [${c.contentType}] ${body}`;
	}
	return `form ${cut(c.path)} (${c.encoding}${c.anonymous ? ', anonymous' : ''}) ${cut(JSON.stringify(c.fields))}`;
}

const asBody = (body: string | Uint8Array): string | Blob =>
	typeof body === 'string' ? body : new Blob([Uint8Array.from(body)]);

export interface FuzzContext {
	url: string;
	key: string;
	cookie: string;
	/** The server's output, shown with a failing case (its stack traces name the cause). */
	serverOutput?: () => string;
}

/** Sends a case and returns what is wrong with the answer (empty when it is right). */
export async function sendCase(context: FuzzContext, c: FuzzCase): Promise<string[]> {
	try {
		return await sendAndJudge(context, c);
	} catch (error) {
		const cause = (error as { cause?: unknown }).cause;
		return [`the request failed: ${String(error)} (${String(cause)}) after ${lastCase}`];
	} finally {
		lastCase = describeCase(c);
	}
}
let lastCase = '';

async function sendAndJudge(context: FuzzContext, c: FuzzCase): Promise<string[]> {
	let response: Response;
	if (c.kind === 'api') {
		const headers: Record<string, string> = { authorization: `Bearer ${context.key}` };
		if (c.contentType !== null) headers['content-type'] = c.contentType;
		response = await fetch(`${context.url}${c.path}`, {
			method: c.method,
			headers,
			body: c.body === null ? undefined : asBody(c.body)
		});
	} else {
		const headers: Record<string, string> = { origin: context.url, accept: 'text/html' };
		if (!c.anonymous) headers.cookie = context.cookie;
		let body: BodyInit;
		if (c.encoding === 'urlencoded') body = new URLSearchParams(c.fields);
		else if (c.encoding === 'multipart') {
			const form = new FormData();
			for (const [name, value] of c.fields) {
				if (name === 'file') form.append(name, new Blob([value]), 'upload.csv');
				else form.append(name, value);
			}
			body = form;
		} else {
			body = asBody(c.raw);
			headers['content-type'] =
				c.encoding === 'json' ? 'application/json' : 'application/octet-stream';
		}
		response = await fetch(`${context.url}${c.path}`, {
			method: 'POST',
			redirect: 'manual',
			headers,
			body
		});
	}
	const text = await response.text();
	const type = response.headers.get('content-type') ?? '';
	const problems: string[] = [];
	if (response.status >= 500) problems.push(`answered ${response.status}: ${text.slice(0, 500)}`);
	if (c.kind === 'api') {
		const mutating = c.method !== 'GET';
		if (response.status >= 400) {
			if (!type.startsWith('application/problem+json'))
				problems.push(`a ${response.status} that is not problem+json (${type})`);
			else {
				const body = JSON.parse(text) as { status?: unknown; detail?: unknown };
				if (body.status !== response.status || typeof body.detail !== 'string')
					problems.push(`a malformed problem: ${text.slice(0, 300)}`);
			}
		} else if (mutating) {
			// An empty batch ("[]", {"events": []}) is a valid request that stores nothing.
			const empty = /^\{"accepted":0,"duplicates":0\}$/.test(text);
			if (!empty) problems.push(`accepted with ${response.status}: ${text.slice(0, 300)}`);
		}
	} else {
		const toLogin =
			response.status === 303 && (response.headers.get('location') ?? '').startsWith('/login');
		if (c.anonymous && c.path === '/logout') {
			if (!toLogin) problems.push(`anonymous sign-out answered ${response.status}`);
		} else if (response.status < 400 || response.status >= 500) {
			problems.push(
				`a form submission answered ${response.status} (${response.headers.get('location') ?? ''})`
			);
		}
	}
	return problems;
}

/** What may change when nothing is written: the audit log (it records refusals) aside. */
export function dataFingerprint(databasePath: string): string {
	const db = new Database(databasePath, { readonly: true });
	try {
		db.pragma('busy_timeout = 10000');
		const tables = db
			.prepare(
				"select name from sqlite_master where type = 'table' and name not in ('audit_log', 'sqlite_sequence') order by name"
			)
			.pluck()
			.all() as string[];
		const digest = createHash('sha256');
		for (const table of tables) {
			const rows = db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[];
			// When a key was last used is bookkeeping, not data.
			for (const row of rows) delete row.last_used_at;
			digest.update(`${table}:${JSON.stringify(rows)}\n`);
		}
		return digest.digest('hex');
	} finally {
		db.close();
	}
}

/**
 * Waits until the alert loop has evaluated every pilot marked changed (it runs every second in
 * the background), so that its own writes are not taken for a hostile request's.
 */
export async function backgroundSettled(databasePath: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const db = new Database(databasePath, { readonly: true });
		let pending: number;
		try {
			db.pragma('busy_timeout = 10000');
			pending = db
				.prepare('select count(*) from alert_state where dirty > 0')
				.pluck()
				.get() as number;
		} finally {
			db.close();
		}
		if (pending === 0) return;
		if (Date.now() > deadline) throw new Error(`${pending} pilots still wait for the alert loop`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export interface FuzzFigures {
	cases: number;
	apiCases: number;
	formCases: number;
	seed: number;
	serverErrors: number;
	rowsWritten: number;
}

export async function fuzzServer(
	context: FuzzContext,
	databasePath: string,
	options: { runs: number; seed: number }
): Promise<FuzzFigures> {
	const figures: FuzzFigures = {
		cases: 0,
		apiCases: 0,
		formCases: 0,
		seed: options.seed,
		serverErrors: 0,
		rowsWritten: 0
	};
	await backgroundSettled(databasePath);
	const before = dataFingerprint(databasePath);
	const run = await fc.check(
		fc.asyncProperty(fuzzCaseArb, async (c) => {
			figures.cases += 1;
			if (c.kind === 'api') figures.apiCases += 1;
			else figures.formCases += 1;
			const problems = await sendCase(context, c);
			if (problems.some((p) => p.startsWith('answered 5'))) figures.serverErrors += 1;
			if (dataFingerprint(databasePath) !== before) {
				figures.rowsWritten += 1;
				problems.push('the database changed');
			}
			if (problems.length > 0) throw new Error(problems.join('\n'));
		}),
		{ numRuns: options.runs, seed: options.seed, endOnFailure: true }
	);
	// Counterexamples can be megabytes: report the case in short, with the seed to replay it.
	if (run.failed && run.counterexample) {
		const [c] = run.counterexample;
		const why =
			run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
		throw new Error(
			`fuzz case failed (seed ${run.seed}, path ${run.counterexamplePath}):\n${describeCase(c)}\n${why.slice(0, 2_000)}\n${context.serverOutput?.().slice(-3_000) ?? ''}`
		);
	}
	if (run.failed) throw new Error(`fuzzing failed: ${String(run.errorInstance)}`);
	return figures;
}
