import type { Handle } from '@sveltejs/kit';

// A form action reads its body with request.formData(), which throws on a malformed body
// (multipart without its boundary, a truncated part…): the action would end in a 500. Forms
// are small, so the body is read once here, from a copy, and refused with 400 when it is not
// a form; the action then reads the original as before.

const formTypes = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);

/** 400 for a page form post whose body cannot be read as a form (hooks.server.ts sequence). */
export const refuseUnreadableForms: Handle = async ({ event, resolve }) => {
	const { request } = event;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (request.method !== 'POST' || !formTypes.has(type) || event.url.pathname.startsWith('/api/'))
		return resolve(event);
	try {
		await request.clone().formData();
	} catch (error) {
		// The body's size limit is answered by SvelteKit itself (413), as before.
		if ((error as { status?: unknown }).status === 413) return resolve(event);
		return new Response('The form data could not be read.', {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};
