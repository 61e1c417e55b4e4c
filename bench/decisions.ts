// Simulated pilots read every day, as people read them: how often the recommendation says
// `scale` at some daily look when it should not, and how often it does when it should.
// `npm run bench` includes it; `node --import tsx bench/decisions.ts` runs it alone and writes DECISIONS.md.
// Fixed seed: the figures are reproducible.
import { writeFileSync } from 'node:fs';
import type { Phase } from '../src/lib/domain/terms';
import { buildImpactReport } from '../src/lib/metrics/impact-report';
import type { ImpactReport } from '../src/lib/metrics/report-types';
import { seededRandom, type Random } from '../src/lib/metrics/random';
import { mergeAll, momentsOf, type MomentStats } from '../src/lib/metrics/sufficient-stats';
import { planSchema } from '../src/lib/schemas/plan';

interface Scenario {
	effect: number;
	cv: number;
	trendPerDay?: number;
}
interface SimulatedDay {
	day: string;
	phase: Phase;
	stats: MomentStats;
}
interface SegmentScenario {
	effect: number;
	cv: number;
	count: number;
	opposite: number;
}
interface SegmentDay {
	phase: Phase;
	segments: MomentStats[];
}

const BASELINE_DAYS = 20;
const PILOT_DAYS = 21;
const PER_DAY = 30;
const TARGET = -0.1;
const MEAN = 10;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-09-01T00:00:00Z');

const plan = planSchema.parse({
	slug: 'simulated',
	name: 'Simulated pilot',
	baselineWindow: { start: '2026-09-01T00:00:00Z', end: '2026-09-21T00:00:00Z' },
	pilotWindow: { start: '2026-09-21T00:00:00Z', end: '2026-10-12T00:00:00Z' },
	plannedPilotCases: PILOT_DAYS * PER_DAY,
	economics: {
		currency: 'EUR',
		hourlyCost: 40,
		monthlyVolume: 900,
		timeRecapture: 1,
		costs: { oneOff: 0, monthly: 100, perCase: 0 }
	},
	metrics: [
		{
			key: 'handling_time',
			label: 'Handling time',
			unit: 'min',
			kind: 'mean',
			measure: 'handling_minutes',
			direction: 'decrease',
			role: 'primary',
			target: { relative: TARGET },
			staffTime: true
		}
	]
});

const day = (index: number): string => new Date(START + index * DAY_MS).toISOString().slice(0, 10);

/** Draws a lognormal value with the given mean and coefficient of variation. */
function lognormal(random: Random, cv: number): (mean: number) => number {
	const sigma2 = Math.log(1 + cv * cv);
	return (mean: number) =>
		Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * random.normal());
}

/**
 * One simulated pilot: per-day handling times, lognormal with coefficient of variation `cv`,
 * mean 10 minutes at the start of the baseline, drifting by `trendPerDay` (multiplicative)
 * through both windows; the pilot multiplies the mean by 1 + `effect`.
 */
export function simulatePilot(
	random: Random,
	{ effect, cv, trendPerDay = 0 }: Scenario
): SimulatedDay[] {
	const draw = lognormal(random, cv);
	const days: SimulatedDay[] = [];
	for (let d = 0; d < BASELINE_DAYS + PILOT_DAYS; d++) {
		const phase: Phase = d < BASELINE_DAYS ? 'baseline' : 'pilot';
		const mean = MEAN * (1 + trendPerDay) ** d * (phase === 'pilot' ? 1 + effect : 1);
		const values = Array.from({ length: PER_DAY }, () => draw(mean));
		days.push({ day: day(d), phase, stats: momentsOf(values) });
	}
	return days;
}

/** The report after `pilotDays` days of the pilot, from the per-day statistics. */
export function reportAt(days: SimulatedDay[], pilotDays: number): ImpactReport {
	const seen = days.slice(0, BASELINE_DAYS + pilotDays);
	const baseline = mergeAll(seen.filter((d) => d.phase === 'baseline').map((d) => d.stats));
	const pilot = mergeAll(seen.filter((d) => d.phase === 'pilot').map((d) => d.stats));
	return buildImpactReport(
		plan,
		{
			metrics: {
				handling_time: {
					baseline: { ai: baseline, control: null },
					pilot: { ai: pilot, control: null }
				}
			},
			cases: {
				baseline: { ai: BASELINE_DAYS * PER_DAY, control: 0 },
				pilot: { ai: pilotDays * PER_DAY, control: 0 }
			},
			daily: { handling_time: seen.map((d) => ({ ...d, cohort: 'ai' as const })) }
		},
		{
			generatedAt: new Date(START + (BASELINE_DAYS + pilotDays) * DAY_MS).toISOString(),
			stage: 'running',
			pilotDaysElapsed: pilotDays,
			governanceMissing: []
		}
	);
}

/** What the old rule (fixed-horizon 95% interval) would have said at the same look. */
function fixedHorizonScale(report: ImpactReport): boolean {
	const m = report.metrics[0];
	const ci = m.absoluteChange?.ci95;
	return (
		ci != null && ci[1] < 0 && m.relativeChange !== null && m.relativeChange.estimate <= TARGET
	);
}

/** Share of `runs` simulated pilots recommended `scale` at some daily look. */
export function scaleRate({ runs, seed, ...scenario }: Scenario & { runs: number; seed: number }): {
	anytime: number;
	fixed: number;
	atEnd: number;
} {
	const random = seededRandom(seed);
	let anytime = 0;
	let fixed = 0;
	let atEnd = 0;
	for (let run = 0; run < runs; run++) {
		const days = simulatePilot(random, scenario);
		let scaled = false;
		let fixedScaled = false;
		for (let d = 1; d <= PILOT_DAYS; d++) {
			const report = reportAt(days, d);
			if (report.recommendation.decision === 'scale') scaled = true;
			if (fixedHorizonScale(report)) fixedScaled = true;
			if (d === PILOT_DAYS && report.recommendation.decision === 'scale') atEnd++;
		}
		if (scaled) anytime++;
		if (fixedScaled) fixed++;
	}
	return { anytime: anytime / runs, fixed: fixed / runs, atEnd: atEnd / runs };
}

/**
 * Segments: `count` equal segments of the same pilot; `opposite` of them change by −`effect`
 * instead of `effect`. Each day's cases go to the segments in turn.
 */
function simulateSegments(
	random: Random,
	{ effect, cv, count, opposite }: SegmentScenario
): SegmentDay[] {
	const draw = lognormal(random, cv);
	const days: SegmentDay[] = [];
	for (let d = 0; d < BASELINE_DAYS + PILOT_DAYS; d++) {
		const phase: Phase = d < BASELINE_DAYS ? 'baseline' : 'pilot';
		const bySegment = Array.from({ length: count }, (): number[] => []);
		for (let i = 0; i < PER_DAY; i++) {
			const segment = (d * PER_DAY + i) % count;
			const change = phase === 'pilot' ? (segment < opposite ? -effect : effect) : 0;
			bySegment[segment].push(draw(MEAN * (1 + change)));
		}
		days.push({ phase, segments: bySegment.map((values) => momentsOf(values)) });
	}
	return days;
}

function segmentReportAt(days: SegmentDay[], pilotDays: number): ImpactReport {
	const seen = days.slice(0, BASELINE_DAYS + pilotDays);
	const phaseOf = (phase: Phase, k: number) =>
		mergeAll(seen.filter((d) => d.phase === phase).map((d) => d.segments[k]));
	const count = days[0].segments.length;
	const segments: Record<
		string,
		Record<string, { baseline: MomentStats | null; pilot: MomentStats | null }>
	> = {};
	for (let k = 0; k < count; k++) {
		segments[`segment ${k + 1}`] = {
			handling_time: { baseline: phaseOf('baseline', k), pilot: phaseOf('pilot', k) }
		};
	}
	const total = (phase: Phase) =>
		mergeAll(
			seen.filter((d) => d.phase === phase).flatMap((d) => d.segments.filter((s) => s.n > 0))
		);
	return buildImpactReport(
		plan,
		{
			metrics: {
				handling_time: {
					baseline: { ai: total('baseline'), control: null },
					pilot: { ai: total('pilot'), control: null }
				}
			},
			cases: {
				baseline: { ai: BASELINE_DAYS * PER_DAY, control: 0 },
				pilot: { ai: pilotDays * PER_DAY, control: 0 }
			},
			segments
		},
		{
			generatedAt: new Date(START + (BASELINE_DAYS + pilotDays) * DAY_MS).toISOString(),
			stage: 'running',
			pilotDaysElapsed: pilotDays,
			governanceMissing: []
		}
	);
}

/** Share of runs where a segment of the primary metric is flagged as differing from the rest. */
export function segmentFlagRate({
	runs,
	seed,
	...scenario
}: SegmentScenario & { runs: number; seed: number }): { some: number; last: number } {
	const random = seededRandom(seed);
	let some = 0;
	let last = 0;
	for (let run = 0; run < runs; run++) {
		const days = simulateSegments(random, scenario);
		let flagged = false;
		for (let d = 1; d <= PILOT_DAYS; d++) {
			const report = segmentReportAt(days, d);
			const hit = (report.segments[0]?.segments ?? []).some((s) => s.differs?.flagged === true);
			if (hit) flagged = true;
			if (hit && d === PILOT_DAYS) last++;
		}
		if (flagged) some++;
	}
	return { some: some / runs, last: last / runs };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function decisionResults({
	runs = Number(process.env.DECISION_RUNS ?? 1000)
}: { runs?: number } = {}): string {
	const started = performance.now();
	const cv = 0.5;
	type Row = [string, Omit<Scenario, 'cv'>, string, (r: ReturnType<typeof scaleRate>) => boolean];
	const rows: Row[] = [
		['no effect', { effect: 0 }, '≤ 3%', (r) => r.anytime <= 0.03],
		['half the target (−5%)', { effect: TARGET / 2 }, '≤ 12%', (r) => r.anytime <= 0.12],
		['1.5× the target (−15%)', { effect: 1.5 * TARGET }, '≥ 80%', (r) => r.anytime >= 0.8],
		[
			'no effect, baseline already falling 1.2% a day',
			{ effect: 0, trendPerDay: -0.012 },
			'not `scale` in ≥ 90%',
			(r) => r.anytime <= 0.1
		]
	];
	const lines = rows.map(([name, scenario, goal, met], i) => {
		const r = scaleRate({ runs, seed: 1000 + i, cv, ...scenario });
		return `| ${name} | ${pct(r.anytime)} | ${pct(r.atEnd)} | ${pct(r.fixed)} | ${goal} | ${met(r) ? 'met' : '**missed**'} |`;
	});
	const sensitivity = [0.3, 0.5, 0.7, 1].map((c, i) => {
		const none = scaleRate({ runs, seed: 2000 + i, cv: c, effect: 0 });
		const half = scaleRate({ runs, seed: 3000 + i, cv: c, effect: TARGET / 2 });
		const big = scaleRate({ runs, seed: 4000 + i, cv: c, effect: 1.5 * TARGET });
		return `| ${c} | ${pct(none.anytime)} (${pct(none.fixed)}) | ${pct(half.anytime)} (${pct(half.fixed)}) | ${pct(big.anytime)} (${pct(big.fixed)}) |`;
	});
	const opposite = segmentFlagRate({
		runs,
		seed: 5000,
		cv,
		effect: 1.5 * TARGET,
		count: 4,
		opposite: 1
	});
	const alike = segmentFlagRate({
		runs,
		seed: 5001,
		cv,
		effect: 1.5 * TARGET,
		count: 20,
		opposite: 0
	});
	const segmentRows = [
		`| 4 segments, one changing by +15% while the others change by −15% | ${pct(opposite.some)} | ${pct(opposite.last)} | ≥ 80% flagged | ${opposite.some >= 0.8 ? 'met' : '**missed**'} |`,
		`| 20 segments, all changing by −15% | ${pct(alike.some)} | ${pct(alike.last)} | ≤ 5% flagged | ${alike.some <= 0.05 ? 'met' : '**missed**'} |`
	];
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	return `## Decisions read every day

${runs.toLocaleString('en-US')} simulated pilots per row (fixed seeds), each read after every day of its pilot: one primary
metric (handling time, lognormal, coefficient of variation ${cv}, target −10%), ${BASELINE_DAYS * PER_DAY} baseline cases over
${BASELINE_DAYS} days, then ${PER_DAY} pilot cases a day for ${PILOT_DAYS} days (planned: ${PILOT_DAYS * PER_DAY}); governance complete, costs
covered. "Scale at some look" is the share recommended \`scale\` at one look or more; the last
column is what the fixed-horizon 95% interval read daily would have said. ${seconds} s in all.

| pilot | \`scale\` at some look | \`scale\` at the last look | fixed-horizon, read daily | goal | |
| --- | --- | --- | --- | --- | --- |
${lines.join('\n')}

Segments (the same pilots, each case in one segment; a segment is shown on its own once both
phases have ${plan.minSamples} of its cases, at most 8, the rest pooled as "other"; a segment is flagged when its
change minus the others' excludes 0 on an anytime interval Holm-adjusted across the segments):

| pilot | flagged at some look | flagged at the last look | goal | |
| --- | --- | --- | --- | --- |
${segmentRows.join('\n')}

How the figures move with the noise of the metric (\`scale\` at some look; in brackets, the
fixed-horizon interval read daily):

| coefficient of variation | no effect | half the target | 1.5× the target |
| --- | --- | --- | --- |
${sensitivity.join('\n')}
`;
}

/** Runs the simulation, writes bench/DECISIONS.md and returns its section for RESULTS.md. */
export function writeDecisions(): string {
	const section = decisionResults();
	writeFileSync(
		new URL('./DECISIONS.md', import.meta.url),
		`# Decisions under daily looks\n\nGenerated by \`npm run bench\` (or \`node --import tsx bench/decisions.ts\`) on ${new Date().toISOString().slice(0, 10)}.\n\n${section}`
	);
	return section;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(writeDecisions());
