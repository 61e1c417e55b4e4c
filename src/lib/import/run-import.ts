import { CsvChunkReader } from '$lib/domain/import/reader';
import { RecordMapper, type MappedEvent } from '$lib/domain/import/mapping';
import type { Encoding } from '$lib/domain/import/detect';
import { csvLine } from '$lib/domain/csv-write';
import type { ImportMapping } from '$lib/schemas/import-mapping';
import type { ImportBatchResult, StoredEventPreview } from '$lib/schemas/import-batch';

// The browser half of an import: the file is read as a stream, decoded, parsed and mapped
// here, and sent to the server a batch at a time, where the ingestion service judges and
// stores each row. Nothing holds the whole file: not the page, not the server. One batch is on
// its way while the next is mapped; a third waits for the first answer, so a slow server slows
// the reading instead of piling batches up in memory.

const BATCH_ROWS = 5_000;
/** Rejected rows kept with their cells for the download; beyond this they are only counted. */
const KEPT_REJECTIONS = 10_000;

export interface FileShape {
	encoding: Encoding;
	delimiter: string;
	hasHeader: boolean;
	columns: string[];
}

export interface Rejection {
	line: number;
	id: string | null;
	reason: string;
	cells: string[];
}

export interface ImportProgress {
	/** Bytes of the file read and mapped. */
	read: number;
	/** Bytes of the file whose rows the server has answered for (uploads in flight included). */
	done: number;
	total: number;
	rows: number;
}

export interface ImportSummary {
	rows: number;
	accepted: number;
	duplicates: number;
	rejectedCount: number;
	rejected: Rejection[];
	sample: StoredEventPreview[];
}

interface Pending {
	line: number;
	event: MappedEvent;
	cells: string[];
}

/** POSTs one batch with XMLHttpRequest, whose upload progress fetch does not offer. */
function postBatch(
	url: string,
	body: string,
	onUpload: (fraction: number) => void,
	signal?: AbortSignal
): Promise<ImportBatchResult> {
	return new Promise((done, fail) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('content-type', 'application/json');
		xhr.setRequestHeader('accept', 'application/json');
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable && e.total > 0) onUpload(e.loaded / e.total);
		};
		xhr.onload = () => {
			let answer: unknown = null;
			try {
				answer = JSON.parse(xhr.responseText);
			} catch {
				// not JSON: reported below by status
			}
			if (xhr.status === 200) return done(answer as ImportBatchResult);
			const detail = (answer as { detail?: unknown } | null)?.detail;
			fail(
				new Error(
					typeof detail === 'string'
						? detail
						: `The server answered ${xhr.status} ${xhr.statusText}`
				)
			);
		};
		xhr.onerror = () => fail(new Error('The connection to the server failed.'));
		xhr.onabort = () => fail(new DOMException('The import was stopped.', 'AbortError'));
		// Removed when the request ends: a listener left on the signal would keep every batch's
		// request, and its body, alive until the whole import is over.
		const abort = (): void => xhr.abort();
		signal?.addEventListener('abort', abort, { once: true });
		xhr.onloadend = () => signal?.removeEventListener('abort', abort);
		xhr.send(body);
	});
}

export async function runImport(
	file: Blob,
	shape: FileShape,
	mapping: ImportMapping,
	mode: 'check' | 'store',
	url: string,
	onProgress: (progress: ImportProgress) => void,
	signal?: AbortSignal
): Promise<ImportSummary> {
	const summary: ImportSummary = {
		rows: 0,
		accepted: 0,
		duplicates: 0,
		rejectedCount: 0,
		rejected: [],
		sample: []
	};
	const mapper = new RecordMapper(mapping, shape.columns);
	const idIndex = shape.columns.indexOf(mapping.id);
	const csv = new CsvChunkReader(shape.delimiter);
	const decoder = new TextDecoder(shape.encoding);
	const reject = (r: Rejection): void => {
		summary.rejectedCount++;
		if (summary.rejected.length < KEPT_REJECTIONS) summary.rejected.push(r);
	};
	let headerSkipped = !shape.hasHeader;
	let pending: Pending[] = [];
	let read = 0;
	let done = 0;
	const report = (): void => onProgress({ read, done, total: file.size, rows: summary.rows });

	const send = async (batch: Pending[], upTo: number): Promise<void> => {
		const from = done;
		const body = JSON.stringify({
			mode,
			rows: batch.map(({ line, event }) => ({ line, event }))
		});
		const result = await postBatch(
			url,
			body,
			(fraction) => {
				done = from + (upTo - from) * fraction * 0.9;
				report();
			},
			signal
		);
		summary.accepted += result.accepted;
		summary.duplicates += result.duplicates;
		if (summary.sample.length === 0) summary.sample = result.sample;
		const cellsOf = new Map(batch.map((p) => [p.line, p.cells]));
		for (const r of result.rejected) reject({ ...r, cells: cellsOf.get(r.line) ?? [] });
		done = upTo;
		report();
	};

	let inFlight: Promise<void> = Promise.resolve();
	const flush = async (upTo: number): Promise<void> => {
		const batch = pending;
		pending = [];
		await inFlight;
		if (batch.length === 0) {
			done = upTo;
			return report();
		}
		inFlight = send(batch, upTo);
		// Awaited by the next flush; this only keeps a failure from being reported twice.
		inFlight.catch(() => undefined);
	};

	const take = async (
		records: { line: number; cells: string[] }[],
		position: number
	): Promise<void> => {
		for (const { line, cells } of records) {
			if (!headerSkipped) {
				headerSkipped = true;
				continue;
			}
			summary.rows++;
			const mapped = mapper.map(cells);
			if (mapped.ok) pending.push({ line, event: mapped.event, cells });
			else
				reject({
					line,
					id: idIndex >= 0 ? (cells[idIndex] ?? null) : null,
					reason: mapped.reason,
					cells
				});
			if (pending.length >= BATCH_ROWS) await flush(position);
		}
	};

	const reader = file.stream().getReader();
	try {
		for (;;) {
			signal?.throwIfAborted();
			const { done: finished, value } = await reader.read();
			if (finished) break;
			read += value.byteLength;
			await take(csv.push(decoder.decode(value, { stream: true })), read);
			report();
		}
		await take([...csv.push(decoder.decode()), ...csv.end()], read);
		await flush(read);
		await inFlight;
	} finally {
		reader.releaseLock();
	}
	summary.rejected.sort((a, b) => a.line - b.line);
	return summary;
}

/** The rejected rows as a CSV to fix and import again: line, reason, then the file's columns. */
export function rejectedCsv(columns: readonly string[], rejected: readonly Rejection[]): Blob {
	const lines = [csvLine(['line', 'reason', ...columns])];
	for (const r of rejected) lines.push(csvLine([r.line, r.reason, ...r.cells]));
	return new Blob(lines, { type: 'text/csv;charset=utf-8' });
}
