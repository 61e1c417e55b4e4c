import type { BenefitInput } from '../../../src/lib/charts/benefit';
import type { TimeSeriesInput } from '../../../src/lib/charts/time-series';
import type { ImpactReport } from '../../../src/lib/metrics';

/** What the browser test hands the harness page: two real reports to switch between. */
export interface HarnessData {
	readonly reports: readonly ImpactReport[];
	readonly series: readonly TimeSeriesInput[];
	readonly benefit: readonly BenefitInput[];
}
