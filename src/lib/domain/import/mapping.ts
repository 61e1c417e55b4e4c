import type { ImportMapping, MeasureSource } from '../../schemas/import-mapping';
import { readBoolean, readNumber, readTimestamp, type Read } from './values';

// One CSV record → the input of one outcome event, by the mapping the user chose. Only the
// mapping is checked here (is this cell a date, a number, a yes/no?); whether the event fits
// the pilot (windows, measures, ids) is the ingestion service's job, so there is one judge.

export interface MappedEvent {
	id: string;
	occurredAt: string;
	segment?: string;
	cohort?: string;
	measures: Record<string, number>;
}

/** A measure left out of an event whose row is kept (the user chose "drop the measure"). */
export interface DroppedMeasure {
	measure: string;
	reason: string;
}

export type MapResult =
	{ ok: true; event: MappedEvent; dropped: DroppedMeasure[] } | { ok: false; reason: string };

/** Every column the mapping reads. */
export function mappedColumns(mapping: ImportMapping): string[] {
	const columns = [mapping.id, mapping.occurredAt];
	if (mapping.occurredAtTime) columns.push(mapping.occurredAtTime);
	if (mapping.orderBy) columns.push(mapping.orderBy);
	if (mapping.segment) columns.push(mapping.segment);
	if (mapping.cohort) columns.push(mapping.cohort);
	for (const { source } of mapping.measures) {
		if (source.kind === 'duration') columns.push(source.start, source.end);
		else columns.push(source.column);
	}
	return [...new Set(columns)];
}

/** The columns a mapping needs that the file's header lacks (a profile of another tool). */
export function missingColumns(mapping: ImportMapping, header: readonly string[]): string[] {
	const present = new Set(header);
	return mappedColumns(mapping).filter((column) => !present.has(column));
}

/** Maps records of one file: the header's positions are looked up once. */
export class RecordMapper {
	readonly #mapping: ImportMapping;
	readonly #position: Map<string, number>;
	readonly #missing: Set<string>;

	constructor(mapping: ImportMapping, header: readonly string[]) {
		this.#mapping = mapping;
		this.#position = new Map(header.map((name, i) => [name, i]));
		this.#missing = new Set(mapping.missingMarkers.map((marker) => marker.trim()));
	}

	/** A cell, trimmed; a missing-value marker reads as an empty cell. */
	cell(record: readonly string[], column: string): string {
		const i = this.#position.get(column);
		const text = i === undefined ? '' : (record[i] ?? '').trim();
		return this.#missing.has(text) ? '' : text;
	}

	map(record: readonly string[]): MapResult {
		const m = this.#mapping;
		const cell = (column: string): string => this.cell(record, column);
		const id = cell(m.id);
		if (id === '') return { ok: false, reason: `${m.id}: the case id is empty` };
		const date = cell(m.occurredAt);
		if (date === '') return { ok: false, reason: `${m.occurredAt}: the timestamp is empty` };
		const time = m.occurredAtTime ? cell(m.occurredAtTime) : '';
		const when = time === '' ? date : `${date} ${time}`;
		const at = readTimestamp(when, m.timezone, m.dateOrder);
		if (!at.ok) {
			const columns = time === '' ? m.occurredAt : `${m.occurredAt} + ${m.occurredAtTime}`;
			return { ok: false, reason: `${columns}: ${at.reason}` };
		}
		const measures: Record<string, number> = {};
		const dropped: DroppedMeasure[] = [];
		for (const { measure, source } of m.measures) {
			const value = this.#measure(source, cell);
			if (!value.ok) {
				if (m.badCell === 'row') return { ok: false, reason: value.reason };
				dropped.push({ measure, reason: value.reason });
			} else if (value.value !== null) measures[measure] = value.value;
		}
		const event: MappedEvent = { id, occurredAt: new Date(at.value).toISOString(), measures };
		const segment = m.segment ? cell(m.segment) : '';
		if (segment !== '') event.segment = segment;
		const cohort = m.cohort ? cell(m.cohort).toLowerCase() : '';
		if (cohort !== '') event.cohort = cohort;
		return { ok: true, event, dropped };
	}

	/** A measure's value, null when not observed (an empty cell, an unset category). */
	#measure(source: MeasureSource, cell: (column: string) => string): Read<number | null> {
		const m = this.#mapping;
		const within = (column: string, read: Read<number>): Read<number | null> =>
			read.ok ? read : { ok: false, reason: `${column}: ${read.reason}` };
		switch (source.kind) {
			case 'number': {
				const text = cell(source.column);
				return text === ''
					? { ok: true, value: null }
					: within(source.column, readNumber(text, m.decimalSeparator));
			}
			case 'boolean': {
				const text = cell(source.column);
				return text === '' ? { ok: true, value: null } : within(source.column, readBoolean(text));
			}
			case 'category': {
				const text = cell(source.column);
				if (text === '') return { ok: true, value: null };
				const key = Object.keys(source.values).find(
					(k) => k.trim().toLowerCase() === text.toLowerCase()
				);
				if (key === undefined) {
					const known = Object.keys(source.values).map((k) => `"${k}"`);
					return {
						ok: false,
						reason: `${source.column}: "${text}" has no value in the mapping (known: ${known.join(', ') || 'none'})`
					};
				}
				return { ok: true, value: source.values[key] };
			}
			case 'duration': {
				const startText = cell(source.start);
				const endText = cell(source.end);
				// A ticket not answered yet has no first reply (an empty cell or a missing-value
				// marker): that duration is not observed.
				if (startText === '' || endText === '') return { ok: true, value: null };
				const start = readTimestamp(startText, m.timezone, m.dateOrder);
				if (!start.ok) return { ok: false, reason: `${source.start}: ${start.reason}` };
				const end = readTimestamp(endText, m.timezone, m.dateOrder);
				if (!end.ok) return { ok: false, reason: `${source.end}: ${end.reason}` };
				const ms = end.value - start.value;
				if (ms < 0) {
					return { ok: false, reason: `${source.end} is before ${source.start}` };
				}
				return { ok: true, value: ms / (source.unit === 'hours' ? 3_600_000 : 60_000) };
			}
		}
	}
}
