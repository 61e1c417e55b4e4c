// The import mappings the unit tests share. Only tests import this module; each test spells out
// what differs from it.

import {
	importMappingSchema,
	type ImportMapping,
	type ImportMappingInput
} from '../../src/lib/schemas/import-mapping';

/** A call log's profile: `Call` the id, `Date` the time in UTC, `Answered` a yes/no measure. */
export function callLogMapping(overrides: Partial<ImportMappingInput> = {}): ImportMapping {
	return importMappingSchema.parse({
		id: 'Call',
		occurredAt: 'Date',
		timezone: 'UTC',
		measures: [{ measure: 'answered', source: { kind: 'boolean', column: 'Answered' } }],
		...overrides
	});
}
