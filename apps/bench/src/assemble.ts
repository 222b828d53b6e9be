/**
 * From the outcomes of a suite's jobs to the contents of `results.json` and `showcase.json`: run records (default
 * and tuned per sampler, budget and seed), tuning records (every candidate and the winner), the floor and noise of
 * every metric, and the histograms and points of the plotted runs.
 */
import { getTarget, METRIC_NAMES, type MetricValues } from '@rtk-diffusion/cli';
import type { Candidate } from './candidates.js';
import type { Capture, JobResult, RunJob } from './jobs.js';
import { PANEL_LABELS, runLabel, TRUTH } from './labels.js';
import {
  type CandidateRecord,
  type Metrics,
  RESULTS_SCHEMA,
  type ResultsFile,
  type RunRecord,
  type ShowcaseFile,
  type ShowcaseTarget,
  type TargetResults,
  type TuningRecord,
} from './results.js';
import { type Suite, type TargetPlan, tuningReferenceSeed } from './suites.js';

/** A finished run job with what it was for. */
export interface Outcome {
  readonly plan: TargetPlan;
  readonly sampler: string;
  readonly nfe: number;
  readonly candidate: Candidate;
  /** Tuning stage (1, 2, 3), or 0 for reported runs. */
  readonly stage: number;
  readonly job: RunJob;
  readonly result: JobResult;
}

/** The tuning winner of a sampler at a budget: highest marginal accuracy on the tuning seed (first on ties). */
export function winner(
  tuning: readonly Outcome[],
  target: string,
  sampler: string,
  nfe: number,
): Candidate | undefined {
  let best: { candidate: Candidate; accuracy: number } | undefined;
  for (const o of tuning) {
    if (o.plan.target !== target || o.sampler !== sampler || o.nfe !== nfe) continue;
    const accuracy = o.result.cell?.metrics?.marginalAccuracy;
    if (accuracy !== undefined && (best === undefined || accuracy > best.accuracy))
      best = { candidate: o.candidate, accuracy };
  }
  return best?.candidate;
}

/** Six significant digits: far below any metric's noise, and results.json stays small and diffable. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function roundMetrics(metrics: Metrics): Metrics {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, round(value)]));
}

function spread(samples: readonly MetricValues[]): Metrics {
  const out: Record<string, number> = {};
  for (const name of METRIC_NAMES) {
    const values = samples.map((s) => s[name]).filter((v): v is number => v !== undefined);
    if (values.length < 2) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    out[name] = round(Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)));
  }
  return out;
}

function record(o: Outcome, setting: 'default' | 'tuned', label: string): RunRecord {
  const cell = o.result.cell!;
  const { seconds, nfeUsed } = cell;
  return {
    sampler: o.sampler,
    setting,
    label,
    settings: o.job.settings,
    nfe: o.nfe,
    seed: o.job.seed,
    ...(nfeUsed === undefined ? {} : { nfeUsed }),
    ...(seconds === undefined ? {} : { seconds: round(seconds) }),
    ...(seconds === undefined || nfeUsed === undefined
      ? {}
      : {
          nfePerSecond: round(nfeUsed / seconds),
          evaluationsPerSecond: round((nfeUsed * o.job.n) / seconds),
        }),
    ...(cell.metrics === undefined ? {} : { metrics: roundMetrics(cell.metrics as Metrics) }),
    ...(cell.summary === undefined
      ? {}
      : {
          summary: Object.fromEntries(
            Object.entries(cell.summary).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
          ),
        }),
    ...(cell.error === undefined ? {} : { error: cell.error }),
  };
}

/** Everything {@link assemble} needs. */
export interface AssembleInput {
  readonly suite: Suite;
  readonly runId: string;
  readonly environment: ResultsFile['environment'];
  readonly started: number;
  readonly ended: number;
  /** The floor job's result per target. */
  readonly floors: ReadonlyMap<string, JobResult>;
  readonly defaults: readonly Outcome[];
  readonly tuning: readonly Outcome[];
  readonly tuned: readonly Outcome[];
}

/** Builds `results.json` and `showcase.json`. */
export function assemble(input: AssembleInput): { results: ResultsFile; showcase: ShowcaseFile } {
  const { suite } = input;
  const targets: TargetResults[] = [];
  const showcases: ShowcaseTarget[] = [];
  for (const plan of suite.targets) {
    const entry = getTarget(plan.target);
    const floor = input.floors.get(plan.target)!;
    const counts: Record<string, ShowcaseTarget['slice']['counts'][string]> = {};
    const points: Record<string, readonly (readonly [number, number])[]> = {};
    let edges: readonly number[] = [];
    const keep = (label: string, captured: Capture | undefined) => {
      if (captured === undefined) return;
      counts[label] = { n: captured.n, bins: captured.bins, below: captured.below, above: captured.above };
      if (label === TRUTH || PANEL_LABELS.includes(label)) points[label] = captured.points;
      edges = captured.edges;
    };
    keep(TRUTH, floor.capture);
    const runs: RunRecord[] = [];
    for (const d of input.defaults.filter((o) => o.plan === plan)) {
      runs.push(record(d, 'default', d.candidate.label));
      keep(runLabel(d.sampler, 'default'), d.result.capture);
      const best = winner(input.tuning, plan.target, d.sampler, d.nfe);
      const tuned = input.tuned.find(
        (t) => t.plan === plan && t.sampler === d.sampler && t.nfe === d.nfe && t.job.seed === d.job.seed,
      );
      // no separate tuned run: the winner is the default setting (or nothing could be tuned)
      const source = tuned ?? d;
      runs.push(record(source, 'tuned', tuned?.candidate.label ?? best?.label ?? d.candidate.label));
      keep(runLabel(d.sampler, 'tuned'), source.result.capture);
    }
    const tuning: TuningRecord[] = suite.samplers.flatMap((sampler) =>
      plan.nfes.map((nfe) => {
        const candidates: CandidateRecord[] = input.tuning
          .filter((o) => o.plan === plan && o.sampler === sampler && o.nfe === nfe)
          .map((o) => ({
            label: o.candidate.label,
            settings: o.candidate.settings,
            stage: o.stage,
            ...(o.result.cell?.metrics?.marginalAccuracy === undefined
              ? {}
              : { marginalAccuracy: round(o.result.cell.metrics.marginalAccuracy) }),
            ...(o.result.cell?.error === undefined ? {} : { error: o.result.cell.error }),
          }));
        const chosen = winner(input.tuning, plan.target, sampler, nfe)?.label ?? '—';
        return { sampler, nfe, seed: suite.tuningSeed, n: plan.tuningN, chosen, candidates };
      }),
    );
    targets.push({
      target: plan.target,
      title: entry.title,
      description: entry.description,
      dim: entry.dim,
      components: entry.spec.weights.length,
      paper: plan.paper,
      n: plan.n,
      tuningN: plan.tuningN,
      nfes: plan.nfes,
      showcaseNfe: plan.showcaseNfe,
      floor: roundMetrics((floor.floors?.[0] ?? {}) as Metrics),
      noise: spread(floor.floors ?? []),
      runs,
      tuning,
    });
    showcases.push({
      target: plan.target,
      nfe: plan.showcaseNfe,
      slice: { dimension: entry.sliceDimension, edges, counts },
      scatter: { dimensions: entry.scatterDimensions, points },
    });
  }
  const results: ResultsFile = {
    schema: RESULTS_SCHEMA,
    runId: input.runId,
    suite: suite.name,
    description: suite.description,
    createdAt: new Date(input.started).toISOString(),
    durationSeconds: (input.ended - input.started) / 1000,
    environment: input.environment,
    samplers: suite.samplers,
    seeds: suite.seeds,
    tuningSeed: suite.tuningSeed,
    referenceSeed: suite.referenceSeed,
    tuningReferenceSeed: tuningReferenceSeed(suite),
    targets,
  };
  return { results, showcase: { schema: RESULTS_SCHEMA, runId: input.runId, targets: showcases } };
}
