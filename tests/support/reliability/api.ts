import { fixturePlan, type TestEvent } from './model';

// The few API calls the reliability tests make, with an API key.

export interface ApiTarget {
	url: string;
	key: string;
}

export async function createPilot(target: ApiTarget, slug: string): Promise<void> {
	const response = await fetch(`${target.url}/api/v1/pilots`, {
		method: 'POST',
		headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ ...fixturePlan, slug, name: `Reliability ${slug}` })
	});
	if (response.status !== 201) {
		throw new Error(`creating pilot ${slug}: ${response.status} ${await response.text()}`);
	}
}

export interface IngestAnswer {
	status: number;
	accepted?: number;
	duplicates?: number;
	body: string;
}

export async function postEvents(
	target: ApiTarget,
	slug: string,
	events: readonly TestEvent[]
): Promise<IngestAnswer> {
	const response = await fetch(`${target.url}/api/v1/pilots/${slug}/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ events })
	});
	const body = await response.text();
	if (response.status !== 200) return { status: response.status, body };
	const parsed = JSON.parse(body) as { accepted: number; duplicates: number };
	return { status: 200, accepted: parsed.accepted, duplicates: parsed.duplicates, body };
}
