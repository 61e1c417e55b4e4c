import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { PlanDefinition } from '../schemas/plan';
import { CSV_FIXED_COLUMNS, eventInputFromCsv, eventSchema } from '../schemas/event';
import { StatsAccumulator, checkEvent, planMeasures } from '../metrics/accumulate';

export interface RowError {
	readonly line: number;
	readonly id?: string;
	readonly path: string;
	readonly message: string;
}

export interface ReadResult {
	readonly accumulator: StatsAccumulator;
	readonly rows: number;
	readonly duplicates: number;
	readonly errors: readonly RowError[];
}

/** Errors collected before giving up on a file: enough to fix a batch, not a flood. */
const MAX_ERRORS = 20;

class TooManyErrors extends Error {}

/** A CSV row whose cells could not be turned into an event at all. */
class RejectedRow {
	constructor(
		readonly rejected: { readonly path: string; readonly message: string },
		readonly id: string | undefined
	) {}
}

/**
 * Streams an events file (CSV with a header, or JSON Lines) into sufficient statistics. Rows
 * are validated like the ingestion API validates them; the first errors are returned with
 * their line numbers. Only ids and a digest per event are kept, so memory grows slowly.
 */
export async function readEvents(path: string, plan: PlanDefinition): Promise<ReadResult> {
	const accumulator = new StatsAccumulator(plan);
	const measures = planMeasures(plan);
	const seen = new Map<string, string>();
	const errors: RowError[] = [];
	let rows = 0;
	let duplicates = 0;

	const fail = (error: RowError): void => {
		errors.push(error);
		if (errors.length >= MAX_ERRORS) throw new TooManyErrors();
	};

	const handle = (line: number, input: unknown): void => {
		rows += 1;
		if (input instanceof RejectedRow) {
			const { rejected, id } = input;
			fail({ line, ...(id ? { id } : {}), path: rejected.path, message: rejected.message });
			return;
		}
		const parsed = eventSchema.safeParse(input);
		if (!parsed.success) {
			const id = (input as { id?: unknown } | null)?.id;
			for (const issue of parsed.error.issues) {
				fail({
					line,
					...(typeof id === 'string' ? { id } : {}),
					path: issue.path.join('.'),
					message: issue.message
				});
			}
			return;
		}
		const event = parsed.data;
		const checked = checkEvent(plan, event, measures);
		if (checked.phase === null) {
			for (const issue of checked.issues) fail({ line, id: event.id, ...issue });
			return;
		}
		const digest = createHash('sha1').update(JSON.stringify(event)).digest('base64');
		const previous = seen.get(event.id);
		if (previous !== undefined) {
			if (previous === digest) duplicates += 1;
			else {
				fail({
					line,
					id: event.id,
					path: 'id',
					message: `id "${event.id}" was already used for an event with different content`
				});
			}
			return;
		}
		seen.set(event.id, digest);
		accumulator.add(event, checked.phase);
	};

	try {
		if (/\.csv$/i.test(path)) await readCsv(path, measures.known, handle, fail);
		else if (/\.(jsonl|ndjson)$/i.test(path)) await readJsonLines(path, handle, fail);
		else {
			fail({ line: 0, path: '', message: 'events file must end in .csv, .jsonl or .ndjson' });
		}
	} catch (error) {
		if (!(error instanceof TooManyErrors)) throw error;
	}
	return { accumulator, rows, duplicates, errors };
}

async function readCsv(
	path: string,
	known: ReadonlySet<string>,
	handle: (line: number, input: unknown) => void,
	fail: (error: RowError) => void
): Promise<void> {
	const parser = createReadStream(path).pipe(
		parse({ columns: true, info: true, skip_empty_lines: true, bom: true, trim: true })
	);
	let headerChecked = false;
	try {
		for await (const item of parser as AsyncIterable<{
			record: Record<string, string>;
			info: { lines: number };
		}>) {
			if (!headerChecked) {
				headerChecked = true;
				const columns = Object.keys(item.record);
				for (const required of ['id', 'occurred_at']) {
					if (!columns.includes(required)) {
						fail({ line: 1, path: required, message: `the header needs a column "${required}"` });
					}
				}
				const fixed = new Set<string>(CSV_FIXED_COLUMNS);
				for (const column of columns) {
					if (!fixed.has(column) && !known.has(column)) {
						fail({
							line: 1,
							path: column,
							message: `column "${column}" is not a measure of any metric in the plan (known: ${[...known].join(', ')})`
						});
					}
				}
				if (columns.length === 0 || !columns.includes('id')) return;
			}
			const converted = eventInputFromCsv(item.record);
			handle(
				item.info.lines,
				converted.ok ? converted.input : new RejectedRow(converted, item.record.id)
			);
		}
	} catch (error) {
		if (error instanceof TooManyErrors) throw error;
		const lines = (error as { lines?: number }).lines;
		fail({
			line: typeof lines === 'number' ? lines : 0,
			path: '',
			message: `CSV could not be read: ${(error as Error).message}`
		});
	}
}

async function readJsonLines(
	path: string,
	handle: (line: number, input: unknown) => void,
	fail: (error: RowError) => void
): Promise<void> {
	const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
	let line = 0;
	for await (const text of lines) {
		line += 1;
		if (text.trim() === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			fail({ line, path: '', message: `not valid JSON: ${(error as Error).message}` });
			continue;
		}
		handle(line, value);
	}
}
