import { Readable } from 'node:stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { CSV_FIXED_COLUMNS, eventInputFromCsv } from '$lib/schemas/event';
import type { PlanDefinition } from '$lib/schemas/plan';
import type { ProblemRowError } from './problem';
import type { Db } from './db';
import { EventChecker, storeEvents, type CheckedEvent } from './ingest';

// `POST /api/v1/pilots/{slug}/events`: reads a JSON, NDJSON or CSV body as a stream, checks
// every event, and stores the batch all or nothing (shared/API.md "Outcome events").

/** 10 MiB per request. The server's BODY_SIZE_LIMIT must allow at least this (scripts/start.js). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_EVENTS = 50_000;
/** Row errors reported before reading stops: enough to fix a batch, not a flood. */
export const MAX_ROW_ERRORS = 100;

export const EVENT_MEDIA_TYPES = ['application/json', 'application/x-ndjson', 'text/csv'] as const;
type MediaType = (typeof EVENT_MEDIA_TYPES)[number];

export type IngestOutcome =
	| { status: 200; accepted: number; duplicates: number }
	| { status: 400 | 413 | 415 | 422; detail: string; errors?: ProblemRowError[] };

class TooLarge extends Error {}
class TooMany extends Error {}
class EnoughErrors extends Error {}
class BadBody extends Error {}

function mediaType(contentType: string | null): MediaType | null {
	const base = (contentType ?? '').split(';')[0].trim().toLowerCase();
	return (EVENT_MEDIA_TYPES as readonly string[]).includes(base) ? (base as MediaType) : null;
}

/** The body's chunks, counted against the limit; returning early does not cancel the request. */
function countedChunks(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterable<Buffer> {
	let size = 0;
	return {
		[Symbol.asyncIterator]: () => ({
			next: async (): Promise<IteratorResult<Buffer>> => {
				const { done, value } = await reader.read();
				if (done) return { done: true, value: undefined };
				size += value.byteLength;
				if (size > MAX_BODY_BYTES) throw new TooLarge();
				return {
					done: false,
					value: Buffer.from(value.buffer, value.byteOffset, value.byteLength)
				};
			},
			// Cancelling the request body would reset the connection before the answer is sent.
			return: async (): Promise<IteratorResult<Buffer>> => ({ done: true, value: undefined })
		})
	};
}

/** Reads what is left of a body we stopped parsing, so the answer reaches the client. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		for (;;) {
			const { done } = await reader.read();
			if (done) return;
		}
	} catch {
		// the body ended in an error (size limit, client gone): nothing left to read
	}
}

type Sink = (input: unknown, preset?: ProblemRowError) => void;

/** The whole JSON text is needed to parse it; it goes out of scope before events are checked. */
async function parseJsonBody(chunks: AsyncIterable<Buffer>): Promise<unknown> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
	text += decoder.decode();
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new BadBody(`The body is not valid JSON: ${(error as Error).message}`);
	}
}

async function readJson(chunks: AsyncIterable<Buffer>, sink: Sink): Promise<void> {
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
	chunks: AsyncIterable<Buffer>,
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
			const index = count();
			sink(null, {
				index,
				path: `events[${index}]`,
				message: `this line is not valid JSON: ${error.message}`
			});
		}
	};
	for await (const chunk of chunks) {
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
	chunks: AsyncIterable<Buffer>,
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
		const index = count();
		sink(null, {
			index,
			path: `events[${index}]`,
			message: `the CSV could not be read from here on: ${(error as Error).message}`
		});
	} finally {
		parser.destroy();
	}
}

/**
 * Reads, validates and stores one batch. Validated events are kept compactly until the
 * transaction, because a batch is all or nothing and a stream cannot be un-read.
 */
export async function ingestBody(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	request: {
		contentType: string | null;
		contentLength: string | null;
		body: ReadableStream<Uint8Array> | null;
	},
	now: Date = new Date()
): Promise<IngestOutcome> {
	const type = mediaType(request.contentType);
	if (type === null) {
		return {
			status: 415,
			detail: `Send events as ${EVENT_MEDIA_TYPES.join(', ')}; got ${request.contentType ?? 'no content type'}.`
		};
	}
	const declared = Number(request.contentLength);
	if (request.contentLength !== null && declared > MAX_BODY_BYTES) {
		return tooLarge();
	}
	if (request.body === null) return { status: 400, detail: 'The request has no body.' };

	const checker = new EventChecker(plan);
	const events: CheckedEvent[] = [];
	const errors: ProblemRowError[] = [];
	const headerErrors: ProblemRowError[] = [];
	let index = 0;
	const sink: Sink = (input, preset) => {
		const i = index++;
		if (i >= MAX_EVENTS) throw new TooMany();
		if (preset) errors.push(preset);
		else {
			const result = checker.check(i, input);
			if (result.ok) events.push(result.event);
			else errors.push(...result.errors);
		}
		if (errors.length >= MAX_ROW_ERRORS) throw new EnoughErrors();
	};
	const reader = request.body.getReader();
	const chunks = countedChunks(reader);
	try {
		if (type === 'application/json') await readJson(chunks, sink);
		else if (type === 'application/x-ndjson') await readNdjson(chunks, sink, () => index);
		else await readCsv(chunks, checker.knownMeasures, sink, headerErrors, () => index);
	} catch (error) {
		if (error instanceof TooLarge || (error as { status?: unknown }).status === 413) {
			await drain(reader);
			return tooLarge();
		}
		if (error instanceof TooMany) {
			await drain(reader);
			return {
				status: 413,
				detail: `A request carries at most ${MAX_EVENTS.toLocaleString('en')} events; split the batch.`
			};
		}
		if (error instanceof BadBody) return { status: 400, detail: error.message };
		if (!(error instanceof EnoughErrors)) throw error;
	}
	await drain(reader);

	if (headerErrors.length > 0) {
		return {
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
			status: 422,
			detail: `${stopped ? 'At least ' : ''}${rows} invalid ${rows === 1 ? 'event' : 'events'}${stopped ? ' (reading stopped there)' : ''}; nothing was stored. Fix ${rows === 1 ? 'it' : 'them'} and send the batch again.`,
			errors: shown
		};
	}
	const stored = storeEvents(db, pilotId, plan, events, now);
	if (!stored.ok) {
		return {
			status: 422,
			detail: `${stored.errors.length} ${stored.errors.length === 1 ? 'id is' : 'ids are'} already stored with different content; nothing was stored.`,
			errors: stored.errors
		};
	}
	return { status: 200, accepted: stored.accepted, duplicates: stored.duplicates };
}

function tooLarge(): IngestOutcome {
	return {
		status: 413,
		detail: `A request body is at most ${MAX_BODY_BYTES / 1024 / 1024} MiB; split the batch.`
	};
}
