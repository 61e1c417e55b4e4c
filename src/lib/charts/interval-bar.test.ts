import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../../../tests/support/report-fixture';
import { intervalBarGeometry, sharedDomain } from './interval-bar';

describe('intervalBarGeometry', () => {
	it('places zero, interval, estimate and target on one improvement scale', async () => {
		const metric = (await fixtureReport()).metrics[0];
		// Domain −50..50 over 160 px with 6 px padding: 1.48 px per percent, zero at 80.
		const bar = intervalBarGeometry(metric, [-50, 50]);
		expect(bar.zero).toBe(80);
		expect(bar.estimate).toBe(121.1);
		expect(bar.ci).toEqual({ from: 110.8, to: 131.5, clipped: false });
		expect(bar.target).toBe(109.6);
		expect(bar.tone).toBe('good');
		expect(bar.text).toBe(
			'Handling time: +27.8% improvement, 95% CI +20.8% to +34.8%; target +20%'
		);
	});

	it('clips a wide interval to the domain and says so', async () => {
		const metric = (await fixtureReport()).metrics.find((m) => m.key === 'error_rate')!;
		const bar = intervalBarGeometry(metric, [-50, 50]);
		expect(bar.ci).toEqual({ from: 6, to: 154, clipped: true });
		expect(bar.tone).toBe('neutral');
	});

	it('draws nothing it does not know', async () => {
		const p90 = (await fixtureReport()).metrics.find((m) => m.key === 'first_response_p90')!;
		expect(intervalBarGeometry(p90, [-50, 50])).toMatchObject({ ci: null, tone: 'warn' });
		expect(intervalBarGeometry(null, [-50, 50])).toMatchObject({
			ci: null,
			estimate: null,
			text: 'no primary metric'
		});
	});

	it('shares one domain across a portfolio, capped', async () => {
		const report = await fixtureReport();
		expect(sharedDomain([report.metrics[0], null])).toEqual([-40, 40]);
		expect(sharedDomain(report.metrics)).toEqual([-180, 180]);
		expect(sharedDomain([])).toEqual([-20, 20]);
	});
});
