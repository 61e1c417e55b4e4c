// Longer than most files, on purpose: the import's one pass over the file; the check and the import
// agree because they run this same code.

import { CaseReducer, orderKey } from '$lib/domain/import/cases';
import { CsvChunkReader } from '$lib/domain/import/reader';
import { RecordMapper, type DroppedMeasure, type MappedEvent } from '$lib/domain/import/mapping';
import type { Encoding } from '$lib/domain/import/detect';
import { csvCell, csvLine } from '$lib/domain/csv-write';
import type { ImportMapping } from '$lib/schemas/import-mapping';
import type { ImportBatchResult, StoredEventPreview } from '$lib/schemas/import-batch';

// The browser half of an import: the file is read as a stream, decoded, parsed and mapped
// here, and sent to the server a batch at a time, where the ingestion service judges and
// stores each row. Nothing holds the whole file: not the page, not the server. One batch is on
// its way while the next is mapped; a third waits for the first answer, so a slow server slows
// the reading instead of piling batches up in memory.
//
// What the page keeps besides that: the counts, the server's first sample rows, the first
// KEPT_REJECTIONS rows not imported (each as one CSV line), and one entry per case id — the id
// and its first line, or, for an event log reduced to one row per case, that row. So memory
// grows with the number of cases (roughly 100 bytes per id, a row's text per case for event
// logs), never with the number of rows or the file's size.

const BATCH_ROWS = 5_000;
/** Rows not imported kept with their cells for the download; beyond this they are only counted. */
export const KEPT_REJECTIONS = 5_000;

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
	/** The row's cells as one CSV line (a string per row is far smaller than an array of cells). */
	text: string;
}

export interface ImportProgress {
	/** Bytes of the file read and mapped. */
	read: number;
	/** Bytes of the file whose rows the server has answered for (uploads in flight included). */
	done: number;
	total: number;
	rows: number;
}

/**
 * Every row read ends in exactly one count: rows = accepted + duplicates + rejectedCount +
 * leftOut + combined. A check and an import of the same file and mapping count alike.
 */
export interface ImportSummary {
	rows: number;
	/** Distinct case ids among the rows that could be read. */
	cases: number;
	accepted: number;
	duplicates: number;
	/** Rows that cannot be imported: unreadable, refused by the server, or a repeated id. */
	rejectedCount: number;
	/** Of those, rows whose case id an earlier row already had (each row is one case). */
	repeatedIds: number;
	/** Event logs, first/last row per case: the other rows of each case. */
	leftOut: number;
	/** Event logs, combined per case: rows merged into their case's one event. */
	combined: number;
	/** Measures left out of rows that are imported (a bad cell, "drop the measure"). */
	dropped: Record<string, { count: number; example: string }>;
	/** The first rows not imported (rejected or left out), by line, for the list and download. */
	rejected: Rejection[];
	sample: StoredEventPreview[];
}

interface Pending {
	line: number;
	event: MappedEvent;
	/** The parsed cells (already in memory; made into text only if the server rejects the row). */
	cells: readonly string[] | null;
	/** An event log's kept row, stored as text while the file was reduced. */
	text: string | null;
}

/** What the reduction keeps of a row of an event log. */
interface Kept {
	text: string;
	dropped: DroppedMeasure[];
}

const cellsText = (cells: readonly string[]): string => cells.map(csvCell).join(',');

export type PostBatch = (
	url: string,
	body: string,
	onUpload: (fraction: number) => void,
	signal?: AbortSignal
) => Promise<ImportBatchResult>;

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
	signal?: AbortSignal,
	post: PostBatch = postBatch
): Promise<ImportSummary> {
	const summary: ImportSummary = {
		rows: 0,
		cases: 0,
		accepted: 0,
		duplicates: 0,
		rejectedCount: 0,
		repeatedIds: 0,
		leftOut: 0,
		combined: 0,
		dropped: {},
		rejected: [],
		sample: []
	};
	const mapper = new RecordMapper(mapping, shape.columns);
	const idIndex = shape.columns.indexOf(mapping.id);
	const csv = new CsvChunkReader(shape.delimiter);
	const decoder = new TextDecoder(shape.encoding);
	const keep = (r: Rejection): void => {
		if (summary.rejected.length < KEPT_REJECTIONS) summary.rejected.push(r);
	};
	/** A row's text, only while the list has room (beyond it rows are only counted). */
	const textIfKept = (cells: readonly string[]): string =>
		summary.rejected.length < KEPT_REJECTIONS ? cellsText(cells) : '';
	const reject = (r: Rejection): void => {
		summary.rejectedCount++;
		keep(r);
	};
	const countDropped = (dropped: readonly DroppedMeasure[]): void => {
		for (const { measure, reason } of dropped) {
			const entry = (summary.dropped[measure] ??= { count: 0, example: reason });
			entry.count++;
		}
	};
	const rule = mapping.rowsPerCase;
	/** Each row is one case: the line of each id's first row, to name repeats. */
	const firstLine = new Map<string, number>();
	/** Rows left out of an event log wait for their reason until the kept row is known. */
	const leftOutIds = new Map<Rejection, string>();
	const reducer =
		rule === 'one'
			? null
			: new CaseReducer<Kept>(rule, (row) => {
					summary.leftOut++;
					if (summary.rejected.length >= KEPT_REJECTIONS) return;
					const r = { line: row.line, id: row.event.id, reason: '', text: row.extra.text };
					leftOutIds.set(r, row.event.id);
					keep(r);
				});
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
		const result = await post(
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
		const rowOf = new Map(batch.map((p) => [p.line, p]));
		for (const r of result.rejected) {
			const row = rowOf.get(r.line);
			reject({ ...r, text: row?.text ?? (row?.cells ? textIfKept(row.cells) : '') });
		}
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
			if (!mapped.ok) {
				reject({
					line,
					id: idIndex >= 0 ? (cells[idIndex] ?? null) : null,
					reason: mapped.reason,
					text: textIfKept(cells)
				});
				continue;
			}
			const { event, dropped } = mapped;
			if (reducer) {
				const cell = mapping.orderBy ? mapper.cell(cells, mapping.orderBy) : '';
				const key = orderKey(cell, mapping.timezone, mapping.dateOrder, mapping.decimalSeparator);
				// Combined, every row gives its measures; otherwise only the kept row's count.
				if (rule === 'combine') countDropped(dropped);
				const kept = { text: cellsText(cells), dropped: rule === 'combine' ? [] : dropped };
				reducer.add({ line, event, key, extra: kept });
				continue;
			}
			const earlier = firstLine.get(event.id);
			if (earlier !== undefined) {
				summary.repeatedIds++;
				reject({
					line,
					id: event.id,
					reason: `${mapping.id}: the case id of line ${earlier} again; with one row per case a repeated id is not imported (for an event log, choose the first or last row per case, or combine them)`,
					text: textIfKept(cells)
				});
				continue;
			}
			firstLine.set(event.id, line);
			countDropped(dropped);
			pending.push({ line, event, cells, text: null });
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
			// While an event log is reduced nothing is sent: the server's share waits for the end.
			await take(csv.push(decoder.decode(value, { stream: true })), reducer ? 0 : read);
			report();
		}
		await take([...csv.push(decoder.decode()), ...csv.end()], reducer ? 0 : read);
		if (reducer) {
			const order = mapping.orderBy ? `by ${mapping.orderBy}` : 'in the file';
			const which = rule === 'first' ? 'first' : 'last';
			for (const [r, id] of leftOutIds) {
				r.reason = `another row of case ${id} is imported: line ${reducer.keptLine(id)}, its ${which} row ${order}`;
			}
			leftOutIds.clear();
			summary.cases = reducer.size;
			let sent = 0;
			for (const row of reducer.cases()) {
				signal?.throwIfAborted();
				summary.combined += rule === 'combine' ? row.rows - 1 : 0;
				countDropped(row.extra.dropped);
				pending.push({ line: row.line, event: row.event, cells: null, text: row.extra.text });
				sent++;
				if (pending.length >= BATCH_ROWS) await flush((read * sent) / summary.cases);
			}
		} else summary.cases = firstLine.size;
		firstLine.clear();
		await flush(read);
		await inFlight;
	} finally {
		reader.releaseLock();
	}
	summary.rejected.sort((a, b) => a.line - b.line);
	return summary;
}

/** The rows not imported as a CSV to fix and import again: line, reason, then the file's columns. */
export function rejectedCsv(columns: readonly string[], rejected: readonly Rejection[]): Blob {
	const lines = [csvLine(['line', 'reason', ...columns])];
	for (const r of rejected) lines.push(`${csvCell(r.line)},${csvCell(r.reason)},${r.text}\r\n`);
	return new Blob(lines, { type: 'text/csv;charset=utf-8' });
}
