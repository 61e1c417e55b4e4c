/**
 * A URL slug from a pilot's name: lower case ASCII letters, digits and single hyphens.
 * Accents are folded ("Facturación" → "facturacion") so links stay readable.
 */
export function slugify(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/g, '');
	return slug || 'pilot';
}

/** The slug itself when free, else the first free "slug-2", "slug-3", … */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
	if (!taken(base)) return base;
	for (let i = 2; ; i++) {
		const candidate = `${base}-${i}`;
		if (!taken(candidate)) return candidate;
	}
}
