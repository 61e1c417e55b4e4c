// The part of autocannon's programmatic API the load test uses (the package ships no types).
declare module 'autocannon' {
	export interface RawRequest {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string;
	}
	export interface Request extends RawRequest {
		setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest;
		onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
	}
	export interface Options {
		url: string;
		connections?: number;
		duration?: number;
		amount?: number;
		timeout?: number;
		headers?: Record<string, string>;
		requests?: Request[];
	}
	export interface Histogram {
		average: number;
		mean: number;
		p50: number;
		p90: number;
		p99: number;
		max: number;
	}
	export interface Result {
		errors: number;
		timeouts: number;
		non2xx: number;
		'2xx': number;
		mismatches: number;
		duration: number;
		latency: Histogram;
		requests: Histogram & { total: number };
	}
	function autocannon(options: Options): Promise<Result>;
	export default autocannon;
}
