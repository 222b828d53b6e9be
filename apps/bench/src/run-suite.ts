/**
 * Runs a suite: the ground-truth floor of each target, every sampler at every budget with its default setting, the
 * tuning on a separate seed (stage 1: grids or RTK segment counts; stage 2: RTK step sizes; stage 3: RTK's DDPM
 * start), then the winners on the reported seeds. assemble.ts turns the outcomes into the results files.
 */
import { getTarget, METRIC_NAMES, NO_PROGRESS, type Progress } from '@rtk-diffusion/cli';
import { assemble, type Outcome, winner } from './assemble.js';
import {
  type Candidate,
  defaultCandidate,
  firstStageCandidates,
  RTK_SAMPLERS,
  secondStageCandidates,
  settingsKey,
  stepSizeMultipliers,
  thirdStageCandidates,
} from './candidates.js';
import type { CaptureSpec, FloorJob, Job, JobResult, ReferenceSpec, RunJob } from './jobs.js';
import type { Pool } from './pool.js';
import type { ResultsFile, ShowcaseFile } from './results.js';
import { type Suite, type TargetPlan, tuningReferenceSeed } from './suites.js';

export { runLabel, TRUTH } from './labels.js';

/** Options of {@link runSuite}. */
export interface RunSuiteOptions {
  readonly suite: Suite;
  readonly pool: Pool;
  readonly runId: string;
  readonly environment: ResultsFile['environment'];
  readonly progress?: Progress;
  /** Cancels the run between jobs (`E_ABORTED`). */
  readonly signal?: AbortSignal;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** Relative cost of a job (progress only): score evaluations × rows × the target's factor, plus the scoring. */
function costOf(plan: TargetPlan, nfe: number, n: number, scored: boolean): number {
  return plan.costFactor * n * (nfe + (scored ? 40 : 2));
}

function captureSpec(plan: TargetPlan): CaptureSpec {
  const entry = getTarget(plan.target);
  return {
    sliceDimension: entry.sliceDimension,
    bins: 60,
    scatterDimensions: entry.scatterDimensions,
    scatterPoints: 200,
  };
}

/** Runs the suite on the pool; see the module comment. */
export async function runSuite(
  options: RunSuiteOptions,
): Promise<{ results: ResultsFile; showcase: ShowcaseFile }> {
  const { suite, pool } = options;
  const progress = options.progress ?? NO_PROGRESS;
  const now = options.now ?? Date.now;
  const started = now();
  let nextId = 0;
  const reference = (plan: TargetPlan, tuning = false): ReferenceSpec => ({
    target: plan.target,
    n: plan.n,
    seed: tuning ? tuningReferenceSeed(suite) : suite.referenceSeed,
    maxPairwise: suite.maxPairwise,
  });
  const planRun = (
    plan: TargetPlan,
    sampler: string,
    nfe: number,
    seed: number,
    candidate: Candidate,
    tuning: boolean,
  ): RunJob => {
    const n = tuning ? plan.tuningN : plan.n;
    const showcase = !tuning && nfe === plan.showcaseNfe && seed === suite.seeds[0];
    return {
      kind: 'run',
      id: nextId++,
      reference: reference(plan, tuning),
      sampler,
      nfe,
      n,
      seed,
      settings: candidate.settings,
      metrics: tuning ? ['marginalAccuracy'] : METRIC_NAMES,
      ...(showcase ? { capture: captureSpec(plan) } : {}),
      cost: costOf(plan, nfe, n, !tuning),
    };
  };

  // Progress: the total is estimated up front (later tuning stages and every tuned run) and corrected as phases start.
  let done = 0;
  let known = 0;
  const estimateLater = (phase: number) =>
    suite.targets.reduce((sum, plan) => {
      const rtk = suite.samplers.filter((s) => RTK_SAMPLERS.includes(s)).length;
      const perNfe = (nfe: number) => {
        const stage2 =
          rtk * stepSizeMultipliers(suite.tuning).length * costOf(plan, nfe, plan.tuningN, false);
        const stage3 = rtk * costOf(plan, nfe, plan.tuningN, false);
        const tuned = suite.samplers.length * suite.seeds.length * costOf(plan, nfe, plan.n, true);
        return (phase <= 2 ? stage2 : 0) + (phase <= 3 ? stage3 : 0) + tuned;
      };
      return sum + plan.nfes.reduce((s, nfe) => s + perNfe(nfe), 0);
    }, 0);
  const run = async (jobs: readonly Job[], phase: number): Promise<Map<number, JobResult>> => {
    if (jobs.length === 0) return new Map();
    known += jobs.reduce((s, job) => s + job.cost, 0);
    progress.setTotal(known + estimateLater(phase + 1));
    return pool.run(
      jobs,
      (job) => {
        done += job.cost;
        progress.update(
          done,
          job.kind === 'floor'
            ? `${job.reference.target}: ground truth`
            : `${job.reference.target}: ${job.sampler} @ ${job.nfe}`,
        );
      },
      options.signal,
    );
  };

  // Phase 1: floors, default runs, tuning stage 1.
  const floorJobs = suite.targets.map(
    (plan): FloorJob => ({
      kind: 'floor',
      id: nextId++,
      reference: reference(plan),
      seeds: Array.from({ length: suite.floorReplicates }, (_, k) => suite.floorSeed + k),
      n: plan.n,
      capture: captureSpec(plan),
      cost: costOf(plan, 0, plan.n, true) * suite.floorReplicates,
    }),
  );
  type Planned = Omit<Outcome, 'result'> & { readonly job: RunJob };
  const defaults: Planned[] = [];
  let tuningPlanned: Planned[] = [];
  for (const plan of suite.targets) {
    for (const sampler of suite.samplers) {
      const candidate = defaultCandidate(sampler, plan.paper);
      for (const nfe of plan.nfes) {
        for (const seed of suite.seeds) {
          defaults.push({
            plan,
            sampler,
            nfe,
            candidate,
            stage: 0,
            job: planRun(plan, sampler, nfe, seed, candidate, false),
          });
        }
        for (const c of firstStageCandidates(sampler, nfe, suite.tuning)) {
          tuningPlanned.push({
            plan,
            sampler,
            nfe,
            candidate: c,
            stage: 1,
            job: planRun(plan, sampler, nfe, suite.tuningSeed, c, true),
          });
        }
      }
    }
  }
  progress.log(
    `${suite.name} suite: ${suite.targets.length} targets × ${suite.samplers.length} samplers; ${defaults.length} default runs, ` +
      `${tuningPlanned.length} first-stage tuning runs, then later tuning stages and the tuned runs`,
  );
  const phase1 = await run(
    [...floorJobs, ...defaults.map((d) => d.job), ...tuningPlanned.map((t) => t.job)],
    1,
  );
  const withResult = (planned: Planned[], results: Map<number, JobResult>): Outcome[] =>
    planned.map(({ job, ...rest }) => ({ ...rest, job, result: results.get(job.id)! }));
  const tuning: Outcome[] = withResult(tuningPlanned, phase1);

  // Phases 2 and 3: later tuning stages (RTK), each at the current winner.
  const later = [
    (sampler: string, best: Candidate) => secondStageCandidates(sampler, best, suite.tuning),
    (sampler: string, best: Candidate) => thirdStageCandidates(sampler, best),
  ];
  for (const [index, candidatesOf] of later.entries()) {
    tuningPlanned = [];
    for (const plan of suite.targets) {
      for (const sampler of suite.samplers) {
        for (const nfe of plan.nfes) {
          const best = winner(tuning, plan.target, sampler, nfe);
          if (best === undefined) continue;
          for (const c of candidatesOf(sampler, best)) {
            tuningPlanned.push({
              plan,
              sampler,
              nfe,
              candidate: c,
              stage: index + 2,
              job: planRun(plan, sampler, nfe, suite.tuningSeed, c, true),
            });
          }
        }
      }
    }
    tuning.push(
      ...withResult(
        tuningPlanned,
        await run(
          tuningPlanned.map((t) => t.job),
          index + 2,
        ),
      ),
    );
  }

  // Phase 4: the winners on the reported seeds (a winner equal to the default reuses the default runs).
  const tunedPlanned: Planned[] = [];
  for (const plan of suite.targets) {
    for (const sampler of suite.samplers) {
      const fallback = defaultCandidate(sampler, plan.paper);
      for (const nfe of plan.nfes) {
        const best = winner(tuning, plan.target, sampler, nfe);
        if (best === undefined || settingsKey(best.settings) === settingsKey(fallback.settings)) continue;
        for (const seed of suite.seeds) {
          tunedPlanned.push({
            plan,
            sampler,
            nfe,
            candidate: best,
            stage: 0,
            job: planRun(plan, sampler, nfe, seed, best, false),
          });
        }
      }
    }
  }
  const phase4 = await run(
    tunedPlanned.map((t) => t.job),
    4,
  );
  progress.setTotal(known);
  return assemble({
    suite,
    runId: options.runId,
    environment: options.environment,
    started,
    ended: now(),
    floors: new Map(floorJobs.map((job) => [job.reference.target, phase1.get(job.id)!])),
    defaults: withResult(defaults, phase1),
    tuning,
    tuned: withResult(tunedPlanned, phase4),
  });
}
