/** The "show data" alternative of a chart: what a screen reader or a spreadsheet user reads. */
export interface DataTable {
	readonly caption: string;
	readonly headers: readonly string[];
	/** Cells as display strings; the first cell of each row names the row. */
	readonly rows: readonly (readonly string[])[];
}
