import { availableParallelism } from 'node:os';
import {
	Worker,
	isMainThread,
	parentPort,
	workerData,
	type MessagePort
} from 'node:worker_threads';
import type { PlanDefinition } from '$lib/schemas/plan';
import { checkBody, type CheckOutcome, type EventMediaType } from './ingest-check';

// Parsing and checking events costs as much CPU as storing them. In the built server they run
// in worker threads, so the main thread stores one batch while the next is being read: the
// database writes stay on the main thread (one transaction per batch), and
// each request's body streams to a worker chunk by chunk, never held whole by the main
// thread. Under the
// development server and the unit tests (TypeScript sources, which a worker cannot load) the
// same `checkBody` runs in the request's own thread.

const ROLE = 'pilot-impact:event-checks';

type ToWorker =
	| { kind: 'start'; job: number; plan: PlanDefinition; type: EventMediaType }
	| { kind: 'chunk'; job: number; chunk: Uint8Array }
	| { kind: 'end'; job: number }
	| { kind: 'abort'; job: number };

type FromWorker =
	{ ready: true } | { job: number; outcome: CheckOutcome } | { job: number; failure: string };

/** The chunks of one body as they arrive from the main thread. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
	#chunks: Uint8Array[] = [];
	#ended = false;
	#failure: Error | null = null;
	#wake: (() => void) | null = null;

	push(chunk: Uint8Array): void {
		this.#chunks.push(chunk);
		this.#notify();
	}

	end(failure: Error | null = null): void {
		this.#ended = true;
		this.#failure = failure;
		this.#notify();
	}

	#notify(): void {
		this.#wake?.();
		this.#wake = null;
	}

	async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
		for (;;) {
			const chunk = this.#chunks.shift();
			if (chunk !== undefined) yield chunk;
			else if (this.#failure) throw this.#failure;
			else if (this.#ended) return;
			else await new Promise<void>((wake) => (this.#wake = wake));
		}
	}
}

/** The worker's side: one `checkBody` per job, answered with its outcome. */
function serve(port: MessagePort): void {
	const jobs = new Map<number, ChunkQueue>();
	port.on('message', (message: ToWorker) => {
		if (message.kind === 'start') {
			const queue = new ChunkQueue();
			jobs.set(message.job, queue);
			const answer = (reply: FromWorker) => {
				jobs.delete(message.job);
				port.postMessage(reply);
			};
			checkBody(message.plan, message.type, queue).then(
				(outcome) => answer({ job: message.job, outcome }),
				(error: unknown) => answer({ job: message.job, failure: String(error) })
			);
		} else if (message.kind === 'chunk') jobs.get(message.job)?.push(message.chunk);
		else if (message.kind === 'end') jobs.get(message.job)?.end();
		else jobs.get(message.job)?.end(new Error('the request ended early'));
	});
	// Sent once the module is loaded: from here on a failure is a job's, not the start's.
	port.postMessage({ ready: true } satisfies FromWorker);
}

if (!isMainThread && workerData?.role === ROLE && parentPort) serve(parentPort);

interface Pending {
	resolve: (outcome: CheckOutcome) => void;
	reject: (error: Error) => void;
}

/**
 * A worker stopped with this body's job in it, or before it: the body was not stored and can be
 * sent again as it is (answered 503 with Retry-After, never 500).
 */
export class CheckerStopped extends Error {}

interface Checker {
	worker: Worker;
	pending: Map<number, Pending>;
	/** Whether its module loaded: a worker that fails before that could not start at all. */
	ready: boolean;
	stopped: boolean;
	/** Bodies being sent or checked, and the requests waiting for their turn. */
	active: number;
	waiting: (() => void)[];
}

/**
 * Bodies a worker takes at once: one being checked while the next ones stream in. The others
 * wait unread, so memory holds a few bodies, not one per open request.
 */
const BODIES_PER_WORKER = 3;
/** INGEST_WORKER_HEAP_MB overrides it (a smaller container; the tests of a crashing worker). */
const WORKER_HEAP_MB = Number(process.env.INGEST_WORKER_HEAP_MB) || 192;
/** Starts in a row that fail before the module loads: then workers cannot run here at all. */
const MAX_FAILED_STARTS = 3;
let failedStarts = 0;

let checkers: Checker[] | null = null;
let nextJob = 1;

/** This module as the built server has it: a plain JavaScript file a worker can run. */
const ownFile = new URL(import.meta.url);
let canUseWorkers = ownFile.protocol === 'file:' && ownFile.pathname.endsWith('.js');

function startChecker(slot: number): Checker {
	// The heap limit makes the worker collect garbage early, which keeps the server's memory
	// down; bodies at the largest size (10 MiB, 50,000 events), three at a time, fit in a third
	// of it (tests/integration/events-api.test.ts sends five at once).
	const worker = new Worker(ownFile, {
		workerData: { role: ROLE },
		resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }
	});
	const checker: Checker = {
		worker,
		pending: new Map(),
		ready: false,
		stopped: false,
		active: 0,
		waiting: []
	};
	worker.on('message', (reply: FromWorker) => {
		if ('ready' in reply) {
			checker.ready = true;
			failedStarts = 0;
			return;
		}
		const pending = checker.pending.get(reply.job);
		if (!pending) return;
		checker.pending.delete(reply.job);
		if ('outcome' in reply) pending.resolve(reply.outcome);
		else pending.reject(new Error(`Checking events failed: ${reply.failure}`));
	});
	// A worker that dies (a body that exhausted its heap, a bug) fails the jobs it held: their
	// events were not stored, so they are answered as retryable, and it is replaced for the next
	// ones, however often that happens. Only workers that cannot even load their module, several
	// times in a row, leave the checks to the request's thread from then on.
	const replace = (error: Error) => {
		if (checker.stopped) return;
		checker.stopped = true;
		const stopped = new CheckerStopped(`The event checker stopped: ${error.message}`);
		for (const pending of checker.pending.values()) pending.reject(stopped);
		checker.pending.clear();
		for (const wake of checker.waiting.splice(0)) wake();
		if (!checker.ready) failedStarts += 1;
		if (failedStarts < MAX_FAILED_STARTS) {
			console.error(`Pilot Impact: an event checker stopped and was restarted: ${error.message}`);
			if (checkers) checkers[slot] = startChecker(slot);
		} else {
			canUseWorkers = false;
			console.error(`Pilot Impact: event checks stay in the main thread: ${error.message}`);
		}
	};
	worker.on('error', replace);
	worker.on('exit', (code) => replace(new Error(`The event checker stopped (exit code ${code}).`)));
	// Idle workers must not keep a stopping server alive.
	worker.unref();
	return checker;
}

function leastBusy(): Checker {
	checkers ??= Array.from(
		{ length: Math.max(1, Math.min(4, availableParallelism() - 1)) },
		(_, i) => startChecker(i)
	);
	const load = (c: Checker) => c.active + c.waiting.length;
	return checkers.reduce((a, b) => (load(b) < load(a) ? b : a));
}

/** Waits for a place on the checker; false when it stopped meanwhile (nothing was sent yet). */
async function turn(checker: Checker): Promise<boolean> {
	if (checker.active < BODIES_PER_WORKER) checker.active += 1;
	// The finishing job hands its place over, so `active` stays as it is.
	else await new Promise<void>((wake) => checker.waiting.push(wake));
	if (!checker.stopped) return true;
	done(checker);
	return false;
}

function done(checker: Checker): void {
	const next = checker.waiting.shift();
	if (next) next();
	else checker.active -= 1;
}

/**
 * Reads and checks a body as `checkBody` does, in a worker thread where the server is built.
 * Errors of the body's source (size limit, broken connection) are thrown, as by `checkBody`.
 */
export async function checkBodyOffThread(
	plan: PlanDefinition,
	type: EventMediaType,
	chunks: AsyncIterable<Uint8Array>
): Promise<CheckOutcome> {
	if (!canUseWorkers) return checkBody(plan, type, chunks);
	let checker = leastBusy();
	// A body waiting for a worker that stopped goes to its replacement: none of it was sent.
	while (!(await turn(checker))) {
		if (!canUseWorkers) return checkBody(plan, type, chunks);
		checker = leastBusy();
	}
	try {
		return await checkOn(checker, plan, type, chunks);
	} finally {
		done(checker);
	}
}

async function checkOn(
	checker: Checker,
	plan: PlanDefinition,
	type: EventMediaType,
	chunks: AsyncIterable<Uint8Array>
): Promise<CheckOutcome> {
	const job = nextJob++;
	let settled = false;
	const outcome = new Promise<CheckOutcome>((resolve, reject) => {
		checker.pending.set(job, { resolve, reject });
	}).finally(() => (settled = true));
	// Marked as handled now: a failure while the body is still being sent is answered after.
	outcome.catch(() => {});
	const post = (message: ToWorker, transfer: ArrayBuffer[] = []) =>
		checker.worker.postMessage(message, transfer);
	post({ kind: 'start', job, plan, type });
	try {
		for await (const chunk of chunks) {
			// The worker may have answered already (too many errors, not JSON): stop sending.
			if (settled) break;
			const copy = new Uint8Array(chunk);
			post({ kind: 'chunk', job, chunk: copy }, [copy.buffer]);
		}
	} catch (error) {
		post({ kind: 'abort', job });
		checker.pending.delete(job);
		throw error;
	}
	post({ kind: 'end', job });
	return outcome;
}
