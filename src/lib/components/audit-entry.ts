/** What an audit table shows of an entry: never the address a request came from. */
export interface AuditEntry {
	id: number;
	at: string;
	actorLabel: string;
	action: string;
	targetLabel: string | null;
	detail: string | null;
	before: unknown;
	after: unknown;
}
