/**
 * A pool (same interface as pool.ts) whose sampler runs use a trained network in place of a target's exact score, so
 * `runSuite` (tuning, default and tuned runs, results) runs unchanged on a learned score. Ground-truth floors and the
 * reference stay exact. Runs inline in this thread.
 */
import {
  drawSamples,
  evaluateSamples,
  groundTruth,
  type MetricValues,
  type PreparedReference,
  prepareReference,
  resolveTarget,
  type SweepCell,
} from '@rtk-diffusion/cli';
import { type HistogramRange, referenceRange } from '@rtk-diffusion/eval';
import type { ScoreModel } from '@rtk-diffusion/scores';
import { isRtkError, RtkError } from '@rtk-diffusion/tensor';
import { type Capture, capture, type JobResult, type ReferenceSpec, type RunJob, runJob } from '../jobs.js';
import type { Pool } from '../pool.js';

/** Errors that make one cell unavailable instead of stopping the suite (as in `runCell`). */
const CELL_ERRORS = new Set(['E_BUDGET', 'E_NUMERIC']);

interface Prepared {
  readonly reference: PreparedReference;
  readonly range: (dimension: number) => HistogramRange;
}

/** A pool that runs every sampler job on `model` (in the target's data space) and floors on the exact target. */
export function networkPool(model: ScoreModel): Pool {
  const cache = new Map<string, Promise<Prepared>>();
  const prepared = (spec: ReferenceSpec): Promise<Prepared> => {
    const key = `${spec.target}|${spec.n}|${spec.seed}|${spec.maxPairwise}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = (async () => {
        const target = await resolveTarget(spec.target);
        const truth = await groundTruth(target.model, spec.n, spec.seed);
        const reference = await prepareReference(truth, {
          spec: target.spec,
          dimensions: target.entry.scatterDimensions,
          maxPairwise: spec.maxPairwise,
          seed: spec.seed,
        });
        // the histogram range of jobs.ts: the reference's range widened by 5 % on each side
        const range = (dimension: number): HistogramRange => referenceRange(truth, dimension);
        return { reference, range };
      })();
      cache.set(key, entry);
    }
    return entry;
  };
  const runNetworkJob = async (job: RunJob): Promise<JobResult> => {
    const { reference, range } = await prepared(job.reference);
    let kept: Capture | undefined;
    let cell: SweepCell;
    try {
      const drawn = await drawSamples({
        model,
        sampler: job.sampler,
        nfe: job.nfe,
        n: job.n,
        seed: job.seed,
        ...(job.settings.grid === undefined ? {} : { grid: job.settings.grid }),
        ...(job.settings.samplerOptions === undefined ? {} : { samplerOptions: job.settings.samplerOptions }),
      });
      if (job.capture !== undefined)
        kept = capture(drawn.samples, job.capture, range(job.capture.sliceDimension));
      const metrics: MetricValues = await evaluateSamples(drawn.samples, reference, job.metrics);
      cell = {
        sampler: job.sampler,
        nfe: job.nfe,
        nfeUsed: drawn.nfe,
        seconds: drawn.seconds,
        metrics,
        summary: drawn.trace.summary,
      };
    } catch (error) {
      if (!(isRtkError(error) && CELL_ERRORS.has(error.code))) throw error;
      cell = { sampler: job.sampler, nfe: job.nfe, error: { code: error.code, message: error.message } };
    }
    return { id: job.id, cell, ...(kept === undefined ? {} : { capture: kept }) };
  };
  return {
    run: async (jobs, onDone, signal) => {
      const results = new Map<number, JobResult>();
      for (const job of [...jobs].sort((a, b) => b.cost - a.cost)) {
        if (signal?.aborted === true) throw new RtkError('E_ABORTED', 'the benchmark run was interrupted');
        const result = job.kind === 'floor' ? await runJob(job) : await runNetworkJob(job);
        results.set(job.id, result);
        onDone?.(job, result);
      }
      return results;
    },
    close: async () => {},
  };
}
