/**
 * The metrics core: pure statistics, comparison, economics and the recommendation.
 * Numbers in, numbers out — no SvelteKit, database, clock or file system.
 */
export { buildImpactReport } from './impact-report';
export type {
	CaseCounts,
	Cohort,
	CohortStats,
	Phase,
	PilotStats,
	ReportContext
} from './impact-report';
export type { Amendment, Decision, ImpactReport, MetricReport } from './report-types';
export {
	StatsAccumulator,
	checkEvent,
	metricObservation,
	phaseLocator,
	phaseOf,
	planMeasures
} from './accumulate';
export type { EventIssue } from './accumulate';
export { compare, compareEstimates } from './compare';
export type { Comparison, ComparedMetric } from './compare';
export { estimatePhase } from './phase-estimate';
export type { MetricKind, PhaseEstimate } from './phase-estimate';
export {
	emptyMoments,
	emptyRatio,
	mergeAll,
	mergeStats,
	momentsFromSummary,
	momentsOf,
	ratioOf,
	statsCount,
	valuesOf
} from './sufficient-stats';
export type {
	BaselineSummary,
	MomentStats,
	OrderStats,
	PhaseStats,
	RatioStats,
	ValueStats
} from './sufficient-stats';
export { quantileRanks } from './quantile';
export { decideVerdict, guardrailStatus, meetsTarget } from './verdict';
export type { Direction, GuardrailStatus, Scaled, Verdict } from './verdict';
export { differenceInDifferences } from './did';
export { powerAnalysis } from './power';
export type { PowerResult } from './power';
export { computeEconomics } from './economics';
export type { EconomicsResult, Estimate } from './economics';
export { evaluateGates, wilsonInterval, wilsonLower } from './evaluation-gates';
export type { EvaluationRun, GateResult } from './evaluation-gates';
export { DEFAULT_RULES, recommend } from './recommendation';
export type { Recommendation, RecommendationFacts, RecommendationRule } from './recommendation';
export { DEFAULT_SETTINGS, resolveSettings } from './settings';
export type { AnalysisSettings } from './settings';
export { REASON_TEXT, describeReason } from './reasons';
export type { ReasonCode } from './reasons';
export type { Change } from './welch';
export { baselineDrift } from './baseline-drift';
export type { BaselineDrift, DailyPoint } from './baseline-drift';
export { decisionIntervals, plannedPilotCases } from './decision-interval';
export type { DecisionInterval, PlannedCases } from './decision-interval';
export { benjaminiHochberg, holm } from './multiple-testing';
export type { Adjustment } from './multiple-testing';
export { anytimeInterval } from './sequential';
export { segmentBreakdown, OTHER_SEGMENT } from './segments';
export { segmentName } from './segment-name';
export type { SegmentBreakdown, SegmentResult } from './segments';
export {
	MIN_TREND_DAYS,
	TREND_REASON_TEXT,
	WEEKDAYS,
	baselineTrend,
	caseWeightedMeanDay,
	dayNumber,
	describeParallelTrends,
	describeTrend,
	describeTrendReason,
	describeWeekdayMix,
	neweyWestLags,
	parallelTrends,
	trendProjection,
	weekdayMix
} from './trend';
export type {
	BaselineTrend,
	DailyValue,
	ParallelTrends,
	TrendProjection,
	TrendReason,
	Weekday,
	WeekdayMix,
	WeekdayMixRow
} from './trend';
