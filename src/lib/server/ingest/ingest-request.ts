import { transaction } from '../db/statements';
import type { PlanDefinition } from '$lib/schemas/plan';
import { recordSync } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import type { ProblemRowError } from '../http/problem';
import { storeBatchSync, type StoreResult } from './ingest';
import { EVENT_MEDIA_TYPES, type CheckOutcome, type EventMediaType } from './ingest-check';
import { CheckerStopped, checkBodyOffThread } from './ingest-workers';

// `POST /api/v1/pilots/{slug}/events`: reads a JSON, NDJSON or CSV body as a stream, checks
// every event, and stores the batch all or nothing (docs/api.md "Outcome events").

/** 10 MiB per request. The server's BODY_SIZE_LIMIT must allow at least this (scripts/start.js). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type IngestOutcome =
	| { status: 200; accepted: number; duplicates: number }
	| { status: 400 | 413 | 415 | 422; detail: string; errors?: ProblemRowError[] }
	/** Nothing was stored and the same batch can be sent again after `retryAfter` seconds. */
	| { status: 503; detail: string; retryAfter: number; errors?: undefined };

/** The pilot a batch is for, as the audit log names it. */
export interface IngestTarget {
	id: number;
	slug: string;
}

class TooLarge extends Error {}

function mediaType(contentType: string | null): EventMediaType | null {
	const base = (contentType ?? '').split(';')[0].trim().toLowerCase();
	return (EVENT_MEDIA_TYPES as readonly string[]).includes(base) ? (base as EventMediaType) : null;
}

/** The body's chunks, counted against the limit; returning early does not cancel the request. */
function countedChunks(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterable<Uint8Array> {
	let size = 0;
	return {
		[Symbol.asyncIterator]: () => ({
			next: async (): Promise<IteratorResult<Uint8Array>> => {
				const { done, value } = await reader.read();
				if (done) return { done: true, value: undefined };
				size += value.byteLength;
				if (size > MAX_BODY_BYTES) throw new TooLarge();
				return { done: false, value };
			},
			// Cancelling the request body would reset the connection before the answer is sent.
			return: async (): Promise<IteratorResult<Uint8Array>> => ({ done: true, value: undefined })
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

/**
 * Reads, validates and stores one batch: read and checked as it streams in (in a worker thread
 * where the server is built), then stored all or nothing.
 */
export async function ingestBody(
	pilot: IngestTarget,
	plan: PlanDefinition,
	request: {
		contentType: string | null;
		contentLength: string | null;
		body: ReadableStream<Uint8Array> | null;
	},
	context: Partial<ServiceContext> = {}
): Promise<IngestOutcome> {
	const { db, actor, now } = serviceContext(context);
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

	const reader = request.body.getReader();
	let checked: CheckOutcome;
	try {
		checked = await checkBodyOffThread(plan, type, countedChunks(reader));
	} catch (error) {
		if (error instanceof TooLarge || (error as { status?: unknown }).status === 413) {
			await drain(reader);
			return tooLarge();
		}
		if (error instanceof CheckerStopped) {
			await drain(reader);
			return {
				status: 503,
				detail: 'Checking this batch was interrupted; nothing was stored. Send it again.',
				retryAfter: 1
			};
		}
		throw error;
	}
	await drain(reader);
	if (!checked.ok)
		return { status: checked.status, detail: checked.detail, errors: checked.errors };

	// One audit row per batch, with its counts, in the batch's own transaction.
	const stored = await transaction(db, async (): Promise<StoreResult> => {
		const result = await storeBatchSync(db, pilot.id, plan, checked.batch, now);
		if (result.ok) {
			recordSync(
				actor,
				{
					action: 'events.ingest',
					targetType: 'pilot',
					targetId: pilot.id,
					targetLabel: pilot.slug,
					pilotId: pilot.id,
					after: {
						received: checked.batch.externalId.length,
						accepted: result.accepted,
						duplicates: result.duplicates,
						format: type
					}
				},
				now,
				db
			);
		}
		return result;
	});
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
