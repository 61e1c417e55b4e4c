// Writing CSV cells (RFC 4180): a cell with a delimiter, quote or line break is quoted, its
// quotes doubled. Numbers are written as JavaScript prints them, which reads back exactly.

export type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Free text people typed (rationales, audit details) can start with "=", "+", "-" or "@",
 * which a spreadsheet would run as a formula (OWASP "CSV injection"): such text is prefixed
 * with an apostrophe. Not for exports that must read back exactly (events).
 */
export function safeText(value: string | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvLine(values: readonly Cell[]): string {
	return values.map(csvCell).join(',') + '\r\n';
}
