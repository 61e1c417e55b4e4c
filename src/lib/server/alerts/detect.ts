import { workingDaysBetween, type AlertType } from '$lib/domain/alerts';
import type { ImpactReport, MetricReport } from '$lib/metrics';
import type { ObservedState } from '../db/schema';

// Alerts as differences between what was last observed of a pilot and what is true now. Pure:
// the caller reads the report and the clock, and stores what comes out once (alerts.ts).

export interface AlertDraft {
	type: AlertType;
	/** Names the change: the same change yields the same key, so it is stored once. */
	key: string;
	title: string;
	data: Record<string, unknown>;
}

export const unobserved: ObservedState = { decision: null, guardrails: {}, failingGates: [] };

/** What alerts watch in a report. */
export function observe(report: ImpactReport | null): ObservedState {
	if (!report) return unobserved;
	const guardrails: Record<string, string> = {};
	for (const metric of report.metrics) {
		if (metric.role === 'guardrail' && metric.guardrail) guardrails[metric.key] = metric.guardrail;
	}
	return {
		decision: report.recommendation.decision,
		guardrails,
		failingGates: report.evaluationGates
			.filter((g) => g.status === 'failed')
			.map((g) => g.criterion)
	};
}

function numbers(metric: MetricReport | undefined): Record<string, unknown> {
	if (!metric) return {};
	return {
		metric: metric.key,
		label: metric.label,
		unit: metric.unit,
		baseline: { n: metric.baseline.n, value: metric.baseline.value },
		pilot: { n: metric.pilot.n, value: metric.pilot.value },
		absoluteChange: metric.absoluteChange,
		relativeChange: metric.relativeChange,
		tolerance: metric.tolerance,
		decisionInterval: metric.decisionInterval
	};
}

/**
 * The alerts between two observations. `version` is the observation's number: a guardrail that
 * breaches, recovers and breaches again raises two distinct breaches.
 */
export function changes(
	before: ObservedState,
	now: ObservedState,
	report: ImpactReport | null,
	version: number
): AlertDraft[] {
	const drafts: AlertDraft[] = [];
	const metric = (key: string): MetricReport | undefined =>
		report?.metrics.find((m) => m.key === key);
	for (const [key, status] of Object.entries(now.guardrails)) {
		const previous = before.guardrails[key] ?? null;
		if (status === 'breached' && previous !== 'breached') {
			drafts.push({
				type: 'guardrail.breached',
				key: `${key}@${version}`,
				title: `Guardrail “${metric(key)?.label ?? key}” breached`,
				data: { ...numbers(metric(key)), status, previousStatus: previous }
			});
		} else if (previous === 'breached' && status !== 'breached') {
			drafts.push({
				type: 'guardrail.recovered',
				key: `${key}@${version}`,
				title: `Guardrail “${metric(key)?.label ?? key}” recovered`,
				data: { ...numbers(metric(key)), status, previousStatus: previous }
			});
		}
	}
	// A first observation sets the recommendation without announcing it as a change.
	if (before.decision !== null && now.decision !== null && before.decision !== now.decision) {
		drafts.push({
			type: 'recommendation.changed',
			key: `${before.decision}->${now.decision}@${version}`,
			title: `Recommendation changed from ${before.decision} to ${now.decision}`,
			data: {
				from: before.decision,
				to: now.decision,
				rule: report?.recommendation.rule ?? null,
				reasons: report?.recommendation.reasons ?? []
			}
		});
	}
	for (const criterion of now.failingGates) {
		if (before.failingGates.includes(criterion)) continue;
		const gate = report?.evaluationGates.find((g) => g.criterion === criterion);
		drafts.push({
			type: 'gate.failing',
			key: `${criterion}@${version}`,
			title: `Evaluation gate “${criterion}” failing`,
			data: {
				criterion,
				threshold: gate?.threshold ?? null,
				passRate: gate?.passRate ?? null,
				wilsonLower: gate?.wilsonLower ?? null,
				total: gate?.total ?? null
			}
		});
	}
	return drafts;
}

export interface ClockFacts {
	stage: string;
	pilotStart: string | null;
	pilotEnd: string | null;
	lastEventAt: string | null;
	silentDays: number;
}

/** The alerts the clock alone raises: silent data while the window is open, a decision due. */
export function clockAlerts(facts: ClockFacts, now: Date): AlertDraft[] {
	if (facts.stage !== 'running' || !facts.pilotStart || !facts.pilotEnd) return [];
	const start = Date.parse(facts.pilotStart);
	const end = Date.parse(facts.pilotEnd);
	const at = now.getTime();
	if (at >= end) {
		return [
			{
				type: 'decision.due',
				key: `window-end:${facts.pilotEnd}`,
				title: 'The pilot window has ended without a decision',
				data: { pilotWindowEnd: facts.pilotEnd }
			}
		];
	}
	if (at < start) return [];
	const last = facts.lastEventAt === null ? start : Math.max(start, Date.parse(facts.lastEventAt));
	const quiet = workingDaysBetween(new Date(last), now);
	if (quiet < facts.silentDays) return [];
	const since = new Date(last).toISOString();
	return [
		{
			type: 'data.silent',
			key: `since:${since}`,
			title: `No events for ${quiet} working days`,
			data: {
				lastEventAt: facts.lastEventAt,
				since,
				workingDays: quiet,
				silentDays: facts.silentDays
			}
		}
	];
}
