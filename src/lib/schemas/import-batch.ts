import { z } from 'zod';
import type { Cohort, Phase } from '../domain/terms';

// One batch of mapped rows sent by the import wizard: the file is read and mapped in the
// browser, a few thousand rows at a time, and each batch is checked (and, when importing,
// stored) by the same ingestion service as the events API.

export const MAX_BATCH_ROWS = 5_000;

export const importBatchSchema = z.object({
	/** check: validate and report, store nothing; store: import the valid rows. */
	mode: z.enum(['check', 'store']),
	rows: z
		.array(
			z.object({
				/** The row's line in the file, for the user's list of rejected rows. */
				line: z.number().int().positive(),
				event: z.unknown()
			})
		)
		.max(MAX_BATCH_ROWS, `a batch carries at most ${MAX_BATCH_ROWS} rows`)
});

export type ImportBatch = z.infer<typeof importBatchSchema>;

/** An event as it will be stored: the instant in UTC, its day and phase from the windows. */
export interface StoredEventPreview {
	id: string;
	occurredAt: string;
	day: string;
	phase: Phase;
	cohort: Cohort;
	segment: string | null;
	measures: Readonly<Record<string, number>>;
}

export interface RejectedRow {
	line: number;
	id: string | null;
	reason: string;
}

export interface ImportBatchResult {
	/** Rows that are valid and new (check) or were stored (store). */
	accepted: number;
	/** Rows already stored with the same content: nothing changes for them. */
	duplicates: number;
	rejected: RejectedRow[];
	/** The first valid rows of the batch, as they will be stored. */
	sample: StoredEventPreview[];
}
