import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { refuseUnreadableForms } from './form-guard';

const post = (path: string, type: string, body: string): RequestEvent =>
	({
		request: new Request(`http://localhost${path}`, {
			method: 'POST',
			headers: { 'content-type': type },
			body
		}),
		url: new URL(`http://localhost${path}`)
	}) as RequestEvent;

/** The action behind the guard: reads the form as SvelteKit's actions do. */
const action = async ({ event }: { event: RequestEvent }): Promise<Response> => {
	const data = await event.request.formData();
	return new Response(`read ${[...data.keys()].join(',')}`);
};
const guarded = async (event: RequestEvent) =>
	await refuseUnreadableForms({ event, resolve: (e) => action({ event: e }) });

describe('form posts whose body is not a form', () => {
	test.each([
		['multipart without a boundary', 'multipart/form-data', '--x\r\ngarbage'],
		['multipart with a boundary it never uses', 'multipart/form-data; boundary=abc', 'garbage'],
		[
			'a truncated part',
			'multipart/form-data; boundary=abc',
			'--abc\r\nContent-Disposition: form-data; name="email"\r\n\r\nx'
		]
	])('%s answers 400, and the action never runs', async (_name, type, body) => {
		const response = await guarded(post('/login', type, body));
		expect(response.status).toBe(400);
	});

	test('a well-formed form reaches the action whole', async () => {
		const multipart =
			'--abc\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c\r\n' +
			'--abc\r\nContent-Disposition: form-data; name="password"\r\n\r\nsecret\r\n--abc--\r\n';
		const response = await guarded(post('/login', 'multipart/form-data; boundary=abc', multipart));
		expect(await response.text()).toBe('read email,password');
		const plain = await guarded(
			post('/login', 'application/x-www-form-urlencoded', 'email=a%40b.c&password=x')
		);
		expect(await plain.text()).toBe('read email,password');
	});

	test('the API is left to its own answers', async () => {
		const response = await refuseUnreadableForms({
			event: post('/api/v1/pilots', 'multipart/form-data', 'garbage'),
			resolve: () => new Response('api', { status: 415 })
		});
		expect(response.status).toBe(415);
	});
});
