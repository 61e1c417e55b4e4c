import { transaction } from '../db/statements';
import type {
	ImportBatch,
	ImportBatchResult,
	RejectedRow,
	StoredEventPreview
} from '$lib/schemas/import-batch';
import type { PlanDefinition } from '$lib/schemas/plan';
import { recordSync } from '../audit/audit';
import { serviceContext, type ServiceContext } from '../context';
import type { Db } from '../db';
import { EventChecker } from './event-checker';
import { compareWithStored, storeEventsSync } from './ingest';
import { type CheckedEvent } from './batch-rollup';

// The import wizard's batches: every row is judged by the ingestion service's EventChecker,
// the valid ones are stored by storeEvents (idempotent, rolled up in the same transaction),
// and unlike the events API a batch is not all or nothing: bad rows are reported by line and
// left out, because a tool export with three broken rows should still import the rest.

const SAMPLE_SIZE = 10;

function reasonOf(path: string, message: string): string {
	const field = path.replace(/^events\[\d+\]\.?/, '');
	return field === '' ? message : `${field}: ${message}`;
}

function preview(event: CheckedEvent): StoredEventPreview {
	return {
		id: event.externalId,
		occurredAt: event.occurredAt,
		day: event.day,
		phase: event.phase,
		cohort: event.cohort,
		segment: event.segment,
		measures: event.measures
	};
}

const conflict = (id: string): string =>
	`id: "${id}" is already stored with different content; an event cannot be changed (give it a new id)`;

export async function importBatch(
	pilot: { id: number; slug: string },
	plan: PlanDefinition,
	batch: ImportBatch,
	context: Partial<ServiceContext> = {}
): Promise<ImportBatchResult> {
	const { db, actor, now } = serviceContext(context);
	const pilotId = pilot.id;
	const checker = new EventChecker(plan);
	const rejected: RejectedRow[] = [];
	const valid: CheckedEvent[] = [];
	const lines: number[] = [];
	batch.rows.forEach(({ line, event }, index) => {
		lines.push(line);
		const result = checker.check(index, event);
		if (result.ok) {
			valid.push(result.event);
			return;
		}
		const rawId = (event as { id?: unknown } | null)?.id;
		rejected.push({
			line,
			id: typeof rawId === 'string' ? rawId : null,
			reason: result.errors.map((e) => reasonOf(e.path, e.message)).join('; ')
		});
	});

	if (batch.mode === 'check') {
		const { fresh, duplicates, conflicts } = await compareWithStored(db, pilotId, valid);
		for (const event of conflicts) {
			rejected.push({
				line: lines[event.index],
				id: event.externalId,
				reason: conflict(event.externalId)
			});
		}
		return finish(fresh.length, duplicates, rejected, valid);
	}

	// One audit row per stored batch, with its counts, in the transaction that stores it.
	return await transaction(db, async (): Promise<ImportBatchResult> => {
		const result = await store(db, pilotId, plan, valid, lines, rejected, now);
		recordSync(
			actor,
			{
				action: 'events.import',
				targetType: 'pilot',
				targetId: pilotId,
				targetLabel: pilot.slug,
				pilotId,
				after: {
					rows: batch.rows.length,
					accepted: result.accepted,
					duplicates: result.duplicates,
					rejected: result.rejected.length
				}
			},
			now,
			db
		);
		return result;
	});
}

async function store(
	db: Db,
	pilotId: number,
	plan: PlanDefinition,
	checked: CheckedEvent[],
	lines: readonly number[],
	rejected: RejectedRow[],
	now: Date
): Promise<ImportBatchResult> {
	// A conflicting id rolls the whole transaction back: leave those rows out and store again.
	// storeEvents names at most 100 conflicts per attempt, so this ends within 50 rounds.
	const all = checked;
	let valid = checked;
	for (;;) {
		const stored = await storeEventsSync(db, pilotId, plan, valid, now);
		if (stored.ok) return finish(stored.accepted, stored.duplicates, rejected, all);
		const bad = new Set(stored.errors.map((e) => e.index));
		if (bad.size === 0) throw new Error('storeEvents refused a batch without naming a row');
		for (const event of valid) {
			if (bad.has(event.index)) {
				rejected.push({
					line: lines[event.index],
					id: event.externalId,
					reason: conflict(event.externalId)
				});
			}
		}
		valid = valid.filter((event) => !bad.has(event.index));
	}
}

function finish(
	accepted: number,
	duplicates: number,
	rejected: RejectedRow[],
	valid: readonly CheckedEvent[]
): ImportBatchResult {
	return {
		accepted,
		duplicates,
		rejected: rejected.sort((a, b) => a.line - b.line),
		sample: valid.slice(0, SAMPLE_SIZE).map(preview)
	};
}
