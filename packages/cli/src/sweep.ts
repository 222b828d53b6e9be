/**
 * A sweep: samplers × NFE budgets on one target, each run scored against one ground-truth reference. `rtk bench` runs
 * one; apps/bench builds its suites (seeds, tuning, reports) from the same pieces.
 */
import type { GridChoice } from '@rtk-diffusion/samplers';
import { isRtkError } from '@rtk-diffusion/tensor';
import { drawSamples, groundTruth } from './draw.js';
import {
  evaluateSamples,
  type MetricName,
  type MetricValues,
  type PreparedReference,
  prepareReference,
} from './evaluate.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import type { ResolvedTarget } from './resolve-target.js';
import type { SampleMatrix } from './sample-matrix.js';

/** How one sampler runs at one budget: its grid and its own options. */
export interface RunSettings {
  readonly grid?: GridChoice;
  readonly samplerOptions?: Readonly<Record<string, unknown>>;
}

/** The result of one sampler at one budget. */
export interface SweepCell {
  readonly sampler: string;
  /** The requested NFE budget. */
  readonly nfe: number;
  /** The evaluations actually used (≤ nfe). */
  readonly nfeUsed?: number;
  /** Wall time of the sampling, seconds. */
  readonly seconds?: number;
  /** Metric values (absent when the run failed). */
  readonly metrics?: MetricValues;
  /** The sampler's trace summary (RTK: segments, inner steps, acceptance). */
  readonly summary?: Readonly<Record<string, number | string>>;
  /** Why there is no result: the budget is too small for the sampler (`E_BUDGET`) or it diverged (`E_NUMERIC`). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly target: ResolvedTarget;
  /** Registered sampler names. */
  readonly samplers: readonly string[];
  /** NFE budgets. */
  readonly nfes: readonly number[];
  /** Samples per run. */
  readonly n: number;
  /** Seed of the sampler runs. */
  readonly seed: number;
  /** The reference to score against; default: n ground-truth samples with seed `seed + 1`. */
  readonly reference?: PreparedReference;
  /** Per-run settings; default the samplers' defaults. */
  readonly settings?: (sampler: string, nfe: number) => RunSettings;
  /** Metrics to compute; default all. */
  readonly metrics?: readonly MetricName[];
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
}

/** What {@link runSweep} returns. */
export interface SweepResult {
  readonly target: string;
  readonly n: number;
  readonly seed: number;
  /** Metrics of an independent ground-truth sample of the same size: the best any sampler can expect (noise floor). */
  readonly floor: MetricValues;
  readonly cells: readonly SweepCell[];
}

/** Errors that make one cell unavailable instead of stopping the sweep. */
const CELL_ERRORS = new Set(['E_BUDGET', 'E_NUMERIC']);

/**
 * One run: draws, evaluates, and records a budget or divergence failure as the cell's `error`.
 *
 * @throws anything but `E_BUDGET` and `E_NUMERIC` (unknown sampler, cancellation, …).
 */
export async function runCell(options: {
  readonly target: ResolvedTarget;
  readonly sampler: string;
  readonly nfe: number;
  readonly n: number;
  readonly seed: number;
  readonly reference: PreparedReference;
  readonly settings?: RunSettings;
  readonly metrics?: readonly MetricName[];
  readonly signal?: AbortSignal;
  /** Sees the samples before they are scored (e.g. to keep a histogram or a few points for plots). */
  readonly onSamples?: (samples: SampleMatrix) => void;
}): Promise<SweepCell> {
  const { sampler, nfe } = options;
  try {
    const drawn = await drawSamples({
      model: options.target.model,
      sampler,
      nfe,
      n: options.n,
      seed: options.seed,
      ...(options.settings?.grid === undefined ? {} : { grid: options.settings.grid }),
      ...(options.settings?.samplerOptions === undefined
        ? {}
        : { samplerOptions: options.settings.samplerOptions }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    options.onSamples?.(drawn.samples);
    const metrics = await evaluateSamples(drawn.samples, options.reference, options.metrics);
    return {
      sampler,
      nfe,
      nfeUsed: drawn.nfe,
      seconds: drawn.seconds,
      metrics,
      summary: drawn.trace.summary,
    };
  } catch (error) {
    if (isRtkError(error) && CELL_ERRORS.has(error.code)) {
      return { sampler, nfe, error: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

/** Runs every sampler at every budget on one target and scores each run; see {@link SweepOptions}. */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { target, n, seed } = options;
  const progress = options.progress ?? NO_PROGRESS;
  const reference =
    options.reference ??
    (await prepareReference(await groundTruth(target.model, n, seed + 1), {
      spec: target.spec,
      dimensions: target.entry.scatterDimensions,
      seed,
    }));
  const independent = await groundTruth(target.model, n, seed + 2);
  const floor = await evaluateSamples(independent, reference, options.metrics);
  const cells: SweepCell[] = [];
  const total = options.samplers.length * options.nfes.length;
  progress.setTotal(total);
  for (const sampler of options.samplers) {
    for (const nfe of options.nfes) {
      progress.update(cells.length, `${sampler} nfe ${nfe}`);
      cells.push(
        await runCell({
          target,
          sampler,
          nfe,
          n,
          seed,
          reference,
          ...(options.settings === undefined ? {} : { settings: options.settings(sampler, nfe) }),
          ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
      );
      progress.update(cells.length);
    }
  }
  return { target: target.name, n, seed, floor, cells };
}
