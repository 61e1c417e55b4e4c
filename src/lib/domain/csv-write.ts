// Writing CSV cells (RFC 4180): a cell with a delimiter, quote or line break is quoted, its
// quotes doubled. Numbers are written as JavaScript prints them, which reads back exactly.

export function csvCell(value: string | number | boolean | null | undefined): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
	return values.map(csvCell).join(',') + '\r\n';
}
