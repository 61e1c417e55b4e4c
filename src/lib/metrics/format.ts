/** Plain-words number formatting for recommendation reasons and the CLI's text output. */

export function formatNumber(x: number | null, digits = 3): string {
	if (x === null) return 'n/a';
	if (x === 0) return '0';
	const abs = Math.abs(x);
	if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
	return Number(x.toPrecision(digits)).toString();
}

export function formatSigned(x: number | null, digits = 3): string {
	if (x === null) return 'n/a';
	return (x > 0 ? '+' : '') + formatNumber(x, digits);
}

export function formatPercent(share: number | null, signed = true): string {
	if (share === null) return 'n/a';
	const pct = Number((share * 100).toPrecision(3));
	return (signed && pct > 0 ? '+' : '') + `${pct}%`;
}

export function formatMoney(x: number | null, currency: string | null): string {
	if (x === null) return 'n/a';
	const rounded = Math.round(x).toLocaleString('en-US');
	return currency === null ? rounded : `${rounded} ${currency}`;
}

export function formatInterval(
	ci: readonly [number, number] | null,
	format: (x: number) => string,
	label = '95% CI'
): string {
	return ci === null ? 'no interval' : `${label} ${format(ci[0])} to ${format(ci[1])}`;
}
