// JSON.parse builds every level of nesting before it can say anything: ten mebibytes of `[`
// take seconds and hundreds of megabytes to refuse. No request of ours nests deeper than a
// handful of levels, so bodies are scanned as their bytes arrive and refused past a bound.

/** Deeper than any body the API takes (an event batch nests 4 levels) by a wide margin. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const NEWLINE = 0x0a;

/**
 * Follows the nesting depth of UTF-8 JSON bytes fed chunk by chunk (a byte below 0x80 is never
 * part of a multi-byte character, so the scan needs no decoding). With `perLine` every line is
 * a document of its own (NDJSON): a raw newline cannot occur inside a JSON string.
 */
export class JsonDepthGuard {
	#depth = 0;
	#inString = false;
	#escaped = false;

	constructor(
		readonly maxDepth: number = MAX_JSON_DEPTH,
		readonly perLine: boolean = false
	) {}

	/** Whether the bytes so far stay within the bound. */
	feed(bytes: Uint8Array): boolean {
		let depth = this.#depth;
		let inString = this.#inString;
		let escaped = this.#escaped;
		const max = this.maxDepth;
		for (let i = 0; i < bytes.length; i++) {
			const b = bytes[i];
			if (b === NEWLINE && this.perLine) {
				depth = 0;
				inString = false;
				escaped = false;
			} else if (inString) {
				if (escaped) escaped = false;
				else if (b === BACKSLASH) escaped = true;
				else if (b === QUOTE) inString = false;
			} else if (b === QUOTE) inString = true;
			else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
				if (++depth > max) {
					this.#depth = depth;
					return false;
				}
			} else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
				if (depth > 0) depth -= 1;
			}
		}
		this.#depth = depth;
		this.#inString = inString;
		this.#escaped = escaped;
		return true;
	}
}

/** Whether a whole JSON text nests within the bound. */
export function withinDepth(bytes: Uint8Array, maxDepth: number = MAX_JSON_DEPTH): boolean {
	return new JsonDepthGuard(maxDepth).feed(bytes);
}

export const tooDeepMessage = `The body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects.`;
