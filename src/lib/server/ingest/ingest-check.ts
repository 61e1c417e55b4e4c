import { Readable } from 'node:stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { CSV_FIXED_COLUMNS, eventInputFromCsv } from '$lib/schemas/event';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { ProblemRowError } from '../http/problem';
import { BatchBuilder, type CheckedBatch } from './batch-rollup';
import { EventChecker } from './event-checker';
import { JsonDepthGuard, tooDeepMessage } from './json-depth';

// The reading half of ingestion: parses a JSON, NDJSON or CSV body as it streams in and checks
// every event against the plan. It touches no database, so it can run in a worker thread
// (ingest-workers.ts) while the main thread stores other batches.

export const MAX_EVENTS = 50_000;
/** Row errors reported before reading stops: enough to fix a batch, not a flood. */
export const MAX_ROW_ERRORS = 100;

export const EVENT_MEDIA_TYPES = ['application/json', 'application/x-ndjson', 'text/csv'] as const;
export type EventMediaType = (typeof EVENT_MEDIA_TYPES)[number];

/** A checked batch, ready to store, or why the request is refused before anything is stored. */
export type CheckOutcome =
	| { ok: true; batch: CheckedBatch }
	| { ok: false; status: 400 | 413 | 422; detail: string; errors?: ProblemRowError[] };

class TooMany extends Error {}
class EnoughErrors extends Error {}
class BadBody extends Error {}

type Sink = (input: unknown, preset?: ProblemRowError) => void;

/** Sinks the refusal of the next event as a whole (`events[i]`), saying why. */
function sinkUnreadable(sink: Sink, count: () => number, message: string): void {
	const index = count();
	sink(null, { index, path: `events[${index}]`, message });
}

/**
 * The whole JSON text is needed to parse it. The bytes wait outside the JavaScript heap and
 * are decoded once at the end (a text built chunk by chunk would be held twice); the text goes
 * out of scope before events are checked.
 */
async function parseJsonBody(chunks: AsyncIterable<Uint8Array>): Promise<unknown> {
	const parts: Uint8Array[] = [];
	// Refused as the bytes arrive: JSON.parse of deep nesting runs out of memory before failing.
	const depth = new JsonDepthGuard();
	for await (const chunk of chunks) {
		if (!depth.feed(chunk)) throw new BadBody(tooDeepMessage);
		parts.push(chunk);
	}
	const text = new TextDecoder().decode(Buffer.concat(parts));
	parts.length = 0;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new BadBody(`The body is not valid JSON: ${(error as Error).message}`);
	}
}

async function readJson(chunks: AsyncIterable<Uint8Array>, sink: Sink): Promise<void> {
	const body = await parseJsonBody(chunks);
	const list = Array.isArray(body)
		? body
		: typeof body === 'object' &&
			  body !== null &&
			  Array.isArray((body as { events?: unknown }).events)
			? (body as { events: unknown[] }).events
			: null;
	if (list === null) {
		throw new BadBody('Send { "events": [ … ] } or a bare array of events.');
	}
	for (const input of list) sink(input);
}

async function readNdjson(
	chunks: AsyncIterable<Uint8Array>,
	sink: Sink,
	count: () => number
): Promise<void> {
	const decoder = new TextDecoder();
	let pending = '';
	const line = (text: string): void => {
		if (text.trim() === '') return;
		try {
			sink(JSON.parse(text));
		} catch (error) {
			if (!(error instanceof SyntaxError)) throw error;
			sinkUnreadable(sink, count, `this line is not valid JSON: ${error.message}`);
		}
	};
	const depth = new JsonDepthGuard(undefined, true);
	for await (const chunk of chunks) {
		if (!depth.feed(chunk)) throw new BadBody(tooDeepMessage);
		pending += decoder.decode(chunk, { stream: true });
		let newline = pending.indexOf('\n');
		while (newline !== -1) {
			line(pending.slice(0, newline));
			pending = pending.slice(newline + 1);
			newline = pending.indexOf('\n');
		}
	}
	line(pending + decoder.decode());
}

async function readCsv(
	chunks: AsyncIterable<Uint8Array>,
	known: ReadonlySet<string>,
	sink: Sink,
	headerErrors: ProblemRowError[],
	count: () => number
): Promise<void> {
	// The header is checked when it is read, so a file with a header and no rows is checked too.
	const checkHeader = (columns: string[]): string[] => {
		for (const required of ['id', 'occurred_at']) {
			if (!columns.includes(required)) {
				headerErrors.push({
					path: `header.${required}`,
					message: `the header needs a column "${required}"`
				});
			}
		}
		const fixed = new Set<string>(CSV_FIXED_COLUMNS);
		for (const column of columns) {
			if (!fixed.has(column) && !known.has(column)) {
				headerErrors.push({
					path: `header.${column}`,
					message: `column "${column}" is not a measure of any metric in the plan (known: ${[...known].join(', ')})`
				});
			}
		}
		return columns;
	};
	const parser = Readable.from(chunks).pipe(
		parseCsv({ columns: checkHeader, bom: true, trim: true, skip_empty_lines: true })
	);
	try {
		for await (const record of parser as AsyncIterable<Record<string, string>>) {
			if (headerErrors.length > 0) return;
			const converted = eventInputFromCsv(record);
			const index = count();
			sink(
				converted.ok ? converted.input : null,
				converted.ok
					? undefined
					: {
							index,
							...(record.id ? { id: record.id } : {}),
							path: `events[${index}].${converted.path}`,
							message: converted.message
						}
			);
		}
	} catch (error) {
		// Not every csv-parse code starts with CSV_ (INVALID_OPENING_QUOTE does not).
		if (!(error instanceof CsvError)) throw error;
		const message = `the CSV could not be read from here on: ${(error as Error).message}`;
		sinkUnreadable(sink, count, message);
	} finally {
		parser.destroy();
	}
}

/**
 * Reads and checks a whole body. Validated events are kept compactly until they are stored,
 * because a batch is all or nothing and a stream cannot be un-read. Errors of the body's
 * source (its size limit, a broken connection) are thrown to the caller.
 */
export async function checkBody(
	plan: PlanDefinition,
	type: EventMediaType,
	chunks: AsyncIterable<Uint8Array>
): Promise<CheckOutcome> {
	const checker = new EventChecker(plan);
	const batch = new BatchBuilder(plan);
	const errors: ProblemRowError[] = [];
	const headerErrors: ProblemRowError[] = [];
	let index = 0;
	const sink: Sink = (input, preset) => {
		const i = index++;
		if (i >= MAX_EVENTS) throw new TooMany();
		if (preset) errors.push(preset);
		else {
			const rowErrors = checker.checkInto(batch, i, input);
			if (rowErrors !== null) errors.push(...rowErrors);
		}
		if (errors.length >= MAX_ROW_ERRORS) throw new EnoughErrors();
	};
	try {
		if (type === 'application/json') await readJson(chunks, sink);
		else if (type === 'application/x-ndjson') await readNdjson(chunks, sink, () => index);
		else await readCsv(chunks, checker.knownMeasures, sink, headerErrors, () => index);
	} catch (error) {
		if (error instanceof TooMany) {
			return {
				ok: false,
				status: 413,
				detail: `A request carries at most ${MAX_EVENTS.toLocaleString('en')} events; split the batch.`
			};
		}
		if (error instanceof BadBody) return { ok: false, status: 400, detail: error.message };
		if (!(error instanceof EnoughErrors)) throw error;
	}

	if (headerErrors.length > 0) {
		return {
			ok: false,
			status: 422,
			detail: 'The CSV header does not match the plan; nothing was stored.',
			errors: headerErrors
		};
	}
	if (errors.length > 0) {
		const shown = errors.slice(0, MAX_ROW_ERRORS);
		const rows = new Set(shown.map((e) => e.index)).size;
		const stopped = errors.length >= MAX_ROW_ERRORS;
		return {
			ok: false,
			status: 422,
			detail: `${stopped ? 'At least ' : ''}${rows} invalid ${rows === 1 ? 'event' : 'events'}${stopped ? ' (reading stopped there)' : ''}; nothing was stored. Fix ${rows === 1 ? 'it' : 'them'} and send the batch again.`,
			errors: shown
		};
	}
	return { ok: true, batch: batch.batch };
}
