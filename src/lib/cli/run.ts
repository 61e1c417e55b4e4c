import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { planSchema, type PlanDefinition } from '../schemas/plan';
import { buildImpactReport } from '../metrics/impact-report';
import type { EvaluationRun } from '../metrics/evaluation-gates';
import type { BaselineSummary } from '../metrics/sufficient-stats';
import { missingGovernance } from '../domain/governance';
import { readEvents } from './read-events';
import { textReport } from './text-report';

export const USAGE = `Usage: pilot-impact analyze --plan plan.json --events events.csv|.jsonl|.ndjson [options]

Options:
  --format json|text        output format (default json: the impact report of the HTTP API)
  --as-of <date-time>       when the report is made, ISO 8601 (default: now); sets days elapsed
  --evaluation <run.json>   the latest evaluation run: { "criteria": { name: { passed, total } } }
  --baseline <file.json>    baseline summaries per metric key: { key: { n, mean, sd, source } }
`;

export interface Io {
	readonly stdout: (text: string) => void;
	readonly stderr: (text: string) => void;
	/** The clock is read here, at the edge, never in the metrics core. */
	readonly now: () => Date;
}

const DAY_MS = 86_400_000;

const evaluationSchema = z.object({
	name: z.string().optional(),
	criteria: z.record(
		z.string(),
		z.object({ passed: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
	)
});

const summariesSchema = z.record(
	z.string(),
	z.union([
		z.object({
			n: z.number().int().positive(),
			mean: z.number(),
			sd: z.number().nonnegative(),
			source: z.string().optional()
		}),
		z.object({
			n: z.number().int().positive(),
			successes: z.number().int().nonnegative(),
			source: z.string().optional()
		})
	])
);

class UsageError extends Error {}
class InputError extends Error {}

async function readJson<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw new InputError(`${what} ${path}: cannot read (${(error as Error).message})`);
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new InputError(`${what} ${path}: not valid JSON (${(error as Error).message})`);
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const issues = parsed.error.issues
			.map((i) => `  ${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
			.join('\n');
		throw new InputError(`${what} ${path} is not valid:\n${issues}`);
	}
	return parsed.data;
}

function daysElapsed(plan: PlanDefinition, asOf: number): number {
	const start = Date.parse(plan.pilotWindow.start);
	const end = Date.parse(plan.pilotWindow.end);
	return Math.max(0, Math.min(asOf, end) - start) / DAY_MS;
}

/** Runs the command line; returns the exit code (0 ok, 1 bad input, 2 bad usage). */
export async function run(argv: readonly string[], io: Io): Promise<number> {
	try {
		const { values, positionals } = parseArgs({
			args: [...argv],
			allowPositionals: true,
			options: {
				plan: { type: 'string' },
				events: { type: 'string' },
				format: { type: 'string', default: 'json' },
				'as-of': { type: 'string' },
				evaluation: { type: 'string' },
				baseline: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
		if (values.help === true) {
			io.stdout(USAGE);
			return 0;
		}
		if (positionals[0] !== 'analyze' || positionals.length !== 1) {
			throw new UsageError('the only command is "analyze"');
		}
		if (values.plan === undefined) throw new UsageError('--plan is required');
		if (values.events === undefined) throw new UsageError('--events is required');
		if (values.format !== 'json' && values.format !== 'text') {
			throw new UsageError('--format is json or text');
		}
		const asOf = values['as-of'] === undefined ? io.now().getTime() : Date.parse(values['as-of']);
		if (!Number.isFinite(asOf)) throw new UsageError('--as-of must be an ISO 8601 date-time');

		const plan = await readJson(values.plan, planSchema, 'plan');
		const evaluation: EvaluationRun | null =
			values.evaluation === undefined
				? null
				: await readJson(values.evaluation, evaluationSchema, 'evaluation');
		const summaries: Record<string, BaselineSummary> | undefined =
			values.baseline === undefined
				? undefined
				: await readJson(values.baseline, summariesSchema, 'baseline summaries');

		const read = await readEvents(values.events, plan);
		if (read.errors.length > 0) {
			const lines = read.errors.map(
				(e) =>
					`${values.events}${e.line > 0 ? ` line ${e.line}` : ''}${e.id === undefined ? '' : ` (id ${e.id})`}: ${e.path === '' ? '' : `${e.path}: `}${e.message}`
			);
			io.stderr(
				`${lines.join('\n')}\n${read.errors.length >= 20 ? 'Stopped after 20 errors. ' : ''}No report: fix the events file and run again.\n`
			);
			return 1;
		}

		const report = buildImpactReport(
			plan,
			{ ...read.accumulator.stats(), ...(summaries ? { baselineSummaries: summaries } : {}) },
			{
				generatedAt: new Date(asOf).toISOString(),
				stage: asOf < Date.parse(plan.pilotWindow.start) ? 'baseline' : 'running',
				pilotDaysElapsed: daysElapsed(plan, asOf),
				evaluation,
				governanceMissing: missingGovernance((plan as { governance?: unknown }).governance)
			}
		);
		io.stdout(
			values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : textReport(report)
		);
		if (read.duplicates > 0) {
			io.stderr(`${read.duplicates} duplicate events (same id and content) were counted once.\n`);
		}
		return 0;
	} catch (error) {
		if (
			error instanceof UsageError ||
			(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
		) {
			io.stderr(`pilot-impact: ${(error as Error).message}\n\n${USAGE}`);
			return 2;
		}
		if (error instanceof InputError) {
			io.stderr(`pilot-impact: ${error.message}\n`);
			return 1;
		}
		throw error;
	}
}
