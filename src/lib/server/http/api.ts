import type { z } from 'zod';
import { requireCaller, requireRight, type Right } from '../auth/access';
import { tooDeepMessage, withinDepth } from '../ingest/json-depth';
import * as plans from '../pilots/plans';
import type { ProblemRowError } from './problem';
import { refuse } from './refusals';

// Small helpers the API endpoints share: the caller/pilot/right ladder of docs/api.md and the
// problem+json answers for bodies that are not what the endpoint expects.

/**
 * 401 for an unknown caller, then 404 for an unknown pilot, then 403 without the right: each
 * thrown, answered as problem+json. The pilot is read by `read`: its whole plan state unless
 * an endpoint needs less.
 */
export function pilotFor(locals: App.Locals, slug: string, right: Right): Promise<plans.PlanState>;
export function pilotFor<S extends { pilot: { id: number } }>(
	locals: App.Locals,
	slug: string,
	right: Right,
	read: (slug: string) => Promise<S | null>
): Promise<S>;
export async function pilotFor(
	locals: App.Locals,
	slug: string,
	right: Right,
	read: (slug: string) => Promise<{ pilot: { id: number } } | null> = plans.readState
): Promise<{ pilot: { id: number } }> {
	await requireCaller(locals);
	const state = await read(slug);
	if (!state) refuse(404, `There is no pilot “${slug}”.`);
	await requireRight(locals, state.pilot.id, right);
	return state;
}

/** The JSON body of a request; 415 or 400 thrown when it is not one. */
export async function jsonBody(request: Request): Promise<unknown> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json') {
		refuse(415, `Send application/json; got ${type === '' ? 'no content type' : type}.`);
	}
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await request.arrayBuffer());
	} catch (error) {
		if ((error as { status?: unknown }).status === 413) {
			refuse(413, 'The request body is too large.');
		}
		refuse(400, 'The body could not be read.');
	}
	// This thread serves every request: deep nesting is refused before JSON.parse holds it up.
	if (!withinDepth(bytes)) refuse(400, tooDeepMessage);
	try {
		return JSON.parse(new TextDecoder().decode(bytes));
	} catch (error) {
		refuse(400, `The body is not valid JSON: ${(error as Error).message}`);
	}
}

/** The body read by `schema`, or 422 thrown with every failing path. */
export async function bodyOf<T>(request: Request, schema: z.ZodType<T>, what: string): Promise<T> {
	const parsed = schema.safeParse(await jsonBody(request));
	if (!parsed.success) refuse(422, `${what} is not valid.`, issuesToErrors(parsed.error.issues));
	return parsed.data;
}

export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): ProblemRowError[] {
	return issues.map((issue) => ({
		path: issue.path.map(String).join('.'),
		message: issue.message
	}));
}
