import type { ProblemRowError } from './http/problem';

// What a service that may refuse returns. The refusal carries what both answers need: the
// status and detail of the API's problem+json, and errors with a path that forms place beside
// their fields (http/refusals.ts turns it into either).

export type Refusal = {
	ok: false;
	status: 404 | 409 | 422;
	detail: string;
	errors: ProblemRowError[];
};

export type Result<T> = { ok: true; value: T } | Refusal;

export function ok<T>(value: T): Result<T> {
	return { ok: true, value };
}

export function refusal(
	status: Refusal['status'],
	detail: string,
	errors: ProblemRowError[] = []
): Refusal {
	return { ok: false, status, detail, errors };
}
