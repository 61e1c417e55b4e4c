import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { randomBatch, seededRandom } from './random';

// Load: autocannon with 50 connections at once against ingestion (30), a pilot's impact page
// (10) and the portfolio (10). Every answer must be a 2xx, no SQLITE_BUSY may reach a
// client, and the database must hold exactly the events the answers acknowledged.

export interface LoadFigures {
	seconds: number;
	eventsPerBatch: number;
	connections: number;
	ingestion: EndpointFigures;
	impactPage: EndpointFigures;
	portfolio: EndpointFigures;
	eventsAcknowledged: number;
	eventsStored: number;
	busyAnswers: number;
}

export interface EndpointFigures {
	requests: number;
	rps: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	errors: number;
	non2xx: number;
}

function figures(result: Result): EndpointFigures {
	return {
		requests: result.requests.total,
		rps: Math.round(result.requests.average),
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		maxMs: result.latency.max,
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx
	};
}

export async function loadTest(options: {
	url: string;
	key: string;
	cookie: string;
	slug: string;
	databasePath: string;
	/** Requests per part: counts, not durations, so every answer is in before counting. */
	batches: number;
	pageViews: number;
	eventsPerBatch?: number;
}): Promise<LoadFigures> {
	const eventsPerBatch = options.eventsPerBatch ?? 20;
	const started = performance.now();
	const random = seededRandom(42);
	let batch = 0;
	let acknowledged = 0;
	let busyAnswers = 0;
	const watch = (status: number, body: string): void => {
		if (body.includes('SQLITE_BUSY') || body.includes('database is locked')) busyAnswers += 1;
		if (status === 200 && body.startsWith('{"accepted"')) {
			acknowledged += (JSON.parse(body) as { accepted: number }).accepted;
		}
	};
	const page = (path: string, connections: number): Promise<Result> =>
		autocannon({
			url: options.url,
			connections,
			amount: options.pageViews,
			timeout: 30,
			requests: [
				{
					method: 'GET',
					path,
					headers: { cookie: options.cookie, accept: 'text/html' },
					onResponse: watch
				}
			]
		});
	const [ingestion, impactPage, portfolio] = await Promise.all([
		autocannon({
			url: options.url,
			connections: 30,
			amount: options.batches,
			timeout: 30,
			requests: [
				{
					method: 'POST',
					path: `/api/v1/pilots/${options.slug}/events`,
					headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
					setupRequest: (request) => ({
						...request,
						body: JSON.stringify({ events: randomBatch(random, `load-${batch++}`, eventsPerBatch) })
					}),
					onResponse: watch
				}
			]
		}),
		page(`/pilots/${options.slug}`, 10),
		page('/', 10)
	]);
	const db = new Database(options.databasePath, { readonly: true });
	const eventsStored = db
		.prepare('select count(*) from events where pilot_id = (select id from pilots where slug = ?)')
		.pluck()
		.get(options.slug) as number;
	db.close();
	return {
		seconds: Math.round((performance.now() - started) / 100) / 10,
		eventsPerBatch,
		connections: 50,
		ingestion: figures(ingestion),
		impactPage: figures(impactPage),
		portfolio: figures(portfolio),
		eventsAcknowledged: acknowledged,
		eventsStored,
		busyAnswers
	};
}
