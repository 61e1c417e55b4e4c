import type { z } from 'zod';
import { actorOf, requireCaller, requireRight, type Right } from '../auth/access';
import { tooDeepMessage, withinDepth } from '../ingest/json-depth';
import * as plans from '../pilots/plans';
import { problemResponse, type ProblemRowError } from './problem';

// Small helpers the API endpoints share: the caller/pilot/right ladder of docs/api.md and the
// problem+json answers for bodies that are not what the endpoint expects.

/** A failed step: the answer to send instead of going on. */
export class Answer {
	constructor(readonly response: Response) {}
}

/**
 * 401 for an unknown caller, then 404 for an unknown pilot, then 403 without the right. The
 * pilot is read by `read`: its whole plan state unless an endpoint needs less.
 */
export function pilotFor(locals: App.Locals, slug: string, right: Right): plans.PlanState | Answer;
export function pilotFor<S extends { pilot: { id: number } }>(
	locals: App.Locals,
	slug: string,
	right: Right,
	read: (slug: string) => S | null
): S | Answer;
export function pilotFor(
	locals: App.Locals,
	slug: string,
	right: Right,
	read: (slug: string) => { pilot: { id: number } } | null = plans.readState
): { pilot: { id: number } } | Answer {
	requireCaller(locals);
	const state = read(slug);
	if (!state) return new Answer(problemResponse(404, `There is no pilot “${slug}”.`));
	requireRight(locals, state.pilot.id, right);
	return state;
}

/** The JSON body of a request, or the 415 / 400 answer. */
export async function jsonBody(request: Request): Promise<unknown> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json') {
		return new Answer(
			problemResponse(415, `Send application/json; got ${type === '' ? 'no content type' : type}.`)
		);
	}
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await request.arrayBuffer());
	} catch (error) {
		if ((error as { status?: unknown }).status === 413) {
			return new Answer(problemResponse(413, 'The request body is too large.'));
		}
		return new Answer(problemResponse(400, 'The body could not be read.'));
	}
	// This thread serves every request: deep nesting is refused before JSON.parse holds it up.
	if (!withinDepth(bytes)) return new Answer(problemResponse(400, tooDeepMessage));
	try {
		return JSON.parse(new TextDecoder().decode(bytes));
	} catch (error) {
		return new Answer(
			problemResponse(400, `The body is not valid JSON: ${(error as Error).message}`)
		);
	}
}

export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): ProblemRowError[] {
	return issues.map((issue) => ({
		path: issue.path.map(String).join('.'),
		message: issue.message
	}));
}

export function invalid(detail: string, errors: ProblemRowError[]): Response {
	return problemResponse(422, detail, { errors });
}

/** Who did it, for amendments: the user's email or the API key's prefix. */
export function actor(locals: App.Locals): string | null {
	const who = actorOf(locals);
	return who.type === 'anonymous' ? null : who.label;
}
