import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

// What a standard OpenAPI linter asks beyond validity: generated clients name their methods
// after operationId, the licence is stated, and every operation says how it can be refused.

interface Operation {
	operationId?: string;
	responses: Record<string, unknown>;
}

const document = openApiDocument('https://pilots.example');
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const operations = Object.entries(
	document.paths as Record<string, Record<string, unknown>>
).flatMap(([path, item]) =>
	methods.flatMap((method) =>
		item[method]
			? [{ name: `${method.toUpperCase()} ${path}`, ...(item[method] as Operation) }]
			: []
	)
);

describe('the OpenAPI document', () => {
	it('has operations to check', () => {
		expect(operations.length).toBeGreaterThanOrEqual(9);
	});

	it('gives every operation a unique camelCase operationId', () => {
		const ids = operations.map((op) => op.operationId);
		for (const [i, id] of ids.entries()) {
			expect(id, operations[i].name).toMatch(/^[a-z][A-Za-z0-9]*$/);
		}
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every operation at least one 4xx answer', () => {
		const without = operations
			.filter((op) => !Object.keys(op.responses).some((status) => /^4(\d\d|XX)$/.test(status)))
			.map((op) => op.name);
		expect(without).toEqual([]);
	});

	it('describes every method of every API endpoint', () => {
		const root = 'src/routes/api/v1';
		const endpoints = readdirSync(root, { recursive: true, encoding: 'utf8' })
			.filter((file) => file.endsWith('+server.ts'))
			.flatMap((file) => {
				const source = readFileSync(join(root, file), 'utf8');
				const path =
					'/' +
					relative('.', join(file, '..'))
						.split('/')
						.map((part) => part.replace(/^\[(\w+)\]$/, '{$1}'))
						.join('/');
				return [...source.matchAll(/^export const (GET|POST|PUT|PATCH|DELETE)\b/gm)].map(
					([, method]) => `${method} ${path === '/.' ? '/' : path}`
				);
			});
		expect(endpoints.length).toBeGreaterThanOrEqual(20);
		const described = new Set(operations.map((op) => op.name));
		expect(endpoints.filter((endpoint) => !described.has(endpoint))).toEqual([]);
	});

	it('states the licence of package.json', () => {
		const { license } = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
		expect((document.info as { license?: unknown }).license).toEqual({
			name: license,
			identifier: license
		});
	});
});
