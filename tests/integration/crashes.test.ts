import { afterAll, describe, expect, test } from 'vitest';
import { tempDir } from '../support/server';
import { crashDrill } from '../support/reliability/crashes';

// SIGKILL during concurrent ingestion, a few times (`npm run stress` kills 50+ times). The
// drill checks the database after every kill; the seed makes a failing drill replayable.

const dir = tempDir();
afterAll(() => dir.remove());

describe('crashes', () => {
	test(
		'killed mid-ingestion, the database keeps every acknowledged batch whole and nothing partial',
		{ timeout: 120_000 },
		async () => {
			const figures = await crashDrill({
				directory: dir.path,
				kills: 3,
				seed: Number(process.env.CRASH_SEED ?? 20261126)
			});
			console.log('crash drill', JSON.stringify(figures));
			expect(figures).toMatchObject({ kills: 3, lost: 0, partial: 0, duplicated: 0 });
			expect(figures.batchesAcknowledged).toBeGreaterThan(0);
		}
	);
});
