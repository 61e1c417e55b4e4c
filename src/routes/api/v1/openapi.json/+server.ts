import { openApiDocument } from '$lib/server/http/openapi';
import type { RequestHandler } from './$types';

/** Public: the document describes the API, not any pilot's data. */
export const GET: RequestHandler = ({ url }) => Response.json(openApiDocument(url.origin));
