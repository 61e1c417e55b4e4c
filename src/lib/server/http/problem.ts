// RFC 9457 problem details: every 4xx/5xx of the API is answered in this one shape.

export interface ProblemRowError {
	index?: number;
	id?: string;
	path: string;
	message: string;
}

export interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: ProblemRowError[];
}

const titles: Record<number, string> = {
	400: 'Bad request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	413: 'Content too large',
	415: 'Unsupported media type',
	422: 'Unprocessable content',
	429: 'Too many requests',
	500: 'Internal server error',
	503: 'Service unavailable'
};

export function problem(status: number, detail: string, errors?: ProblemRowError[]): Problem {
	return {
		type: 'about:blank',
		title: titles[status] ?? 'Error',
		status,
		detail,
		...(errors ? { errors } : {})
	};
}

export function problemResponse(
	status: number,
	detail: string,
	options: { errors?: ProblemRowError[]; headers?: Record<string, string> } = {}
): Response {
	return new Response(JSON.stringify(problem(status, detail, options.errors)), {
		status,
		headers: { 'content-type': 'application/problem+json', ...options.headers }
	});
}

export function isProblemResponse(response: Response): boolean {
	return (response.headers.get('content-type') ?? '').startsWith('application/problem+json');
}
