import { issuesToFieldErrors, type FieldErrors } from './field-errors';
import { charterFields, governanceFields, type QuestionField } from './pilot-questions';
import { silentDaysSchema } from '$lib/schemas/definition';
import {
	pilotFormSchema,
	type Charter,
	type Governance,
	type PilotForm,
	type PilotFormInput
} from '$lib/schemas/pilot';

// The pilot form travels as flat fields named by their path ("charter.problem"), so the
// form can echo exactly what was typed and place each message next to its field.

export type FlatValues = Record<string, string>;

export { charterFields, governanceFields, type QuestionField } from './pilot-questions';

const windowFields = [
	'baselineWindow.firstDay',
	'baselineWindow.lastDay',
	'pilotWindow.firstDay',
	'pilotWindow.lastDay'
];

export const pilotFieldNames: string[] = [
	'name',
	'process',
	'timezone',
	...windowFields,
	...charterFields.map((f) => f.name),
	...governanceFields.map((f) => f.name)
];

export function formDataToFlat(data: FormData): FlatValues {
	const flat: FlatValues = {};
	for (const name of pilotFieldNames) {
		const value = data.get(name);
		flat[name] = typeof value === 'string' ? value : '';
	}
	return flat;
}

function windowInput(
	flat: FlatValues,
	prefix: string
): { firstDay: string; lastDay: string } | null {
	const firstDay = flat[`${prefix}.firstDay`]?.trim() ?? '';
	const lastDay = flat[`${prefix}.lastDay`]?.trim() ?? '';
	return firstDay || lastDay ? { firstDay, lastDay } : null;
}

/** Flat form values → the shape pilotFormSchema parses. A window left blank is no window. */
export function flatToPilotInput(flat: FlatValues): PilotFormInput {
	const section = (fields: QuestionField[]): Record<string, string> =>
		Object.fromEntries(fields.map((f) => [f.name.split('.')[1], flat[f.name] ?? '']));
	const charter = section(charterFields);
	return {
		name: flat.name ?? '',
		process: flat.process ?? '',
		timezone: flat.timezone ?? '',
		baselineWindow: windowInput(flat, 'baselineWindow'),
		pilotWindow: windowInput(flat, 'pilotWindow'),
		charter: {
			...charter,
			users: (charter.users ?? '')
				.split('\n')
				.map((line) => line.trim())
				.filter((line) => line.length > 0)
		},
		governance: section(governanceFields)
	};
}

export interface PilotLike {
	name: string;
	process: string;
	timezone: string;
	baselineDays: { firstDay: string; lastDay: string } | null;
	pilotDays: { firstDay: string; lastDay: string } | null;
	charter: Charter;
	governance: Governance;
}

export function pilotToFlat(pilot: PilotLike): FlatValues {
	const flat: FlatValues = {
		name: pilot.name,
		process: pilot.process,
		timezone: pilot.timezone,
		'baselineWindow.firstDay': pilot.baselineDays?.firstDay ?? '',
		'baselineWindow.lastDay': pilot.baselineDays?.lastDay ?? '',
		'pilotWindow.firstDay': pilot.pilotDays?.firstDay ?? '',
		'pilotWindow.lastDay': pilot.pilotDays?.lastDay ?? ''
	};
	for (const [key, value] of Object.entries(pilot.charter)) {
		flat[`charter.${key}`] = Array.isArray(value) ? value.join('\n') : value;
	}
	for (const [key, value] of Object.entries(pilot.governance)) flat[`governance.${key}`] = value;
	return flat;
}

export type ParsedPilotForm =
	| { ok: true; values: FlatValues; data: PilotForm }
	| { ok: false; values: FlatValues; errors: FieldErrors };

/** Reads and validates a submitted pilot form, keeping what was typed for the answer. */
export function parsePilotForm(formData: FormData): ParsedPilotForm {
	const values = formDataToFlat(formData);
	const result = pilotFormSchema.safeParse(flatToPilotInput(values));
	return result.success
		? { ok: true, values, data: result.data }
		: { ok: false, values, errors: issuesToFieldErrors(result.error.issues) };
}

/**
 * The pilot form's "working days without new events before an alert" (`silentDays`): the
 * typed text in, a whole number or the message to show beside the field out.
 */
export function parseSilentDays(
	value: FormDataEntryValue | null
): { ok: true; value: number } | { ok: false; error: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	const result = silentDaysSchema.safeParse(/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
	return result.success
		? { ok: true, value: result.data }
		: { ok: false, error: `Enter ${result.error.issues[0]?.message ?? 'a whole number'}.` };
}
