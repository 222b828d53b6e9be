/**
 * Measurements on the active backend: one score evaluation (and a log-density evaluation and an [n, d] normal draw,
 * the other per-step costs), and whole sampler runs at a fixed NFE with their samples' per-coordinate moments.
 */
import { getSampler } from '@rtk-diffusion/samplers';
import type { MixtureModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import type { SpeedSize } from './sizes.js';
import { cpuNow, summarize, type TimingSummary, timeRepeats } from './stats.js';

/** Per-coordinate moments of a sample: mean, (biased) variance and kurtosis E(x − m)⁴ / v². */
export interface Moments {
  readonly n: number;
  readonly mean: readonly number[];
  readonly variance: readonly number[];
  readonly kurtosis: readonly number[];
}

/** The per-coordinate moments of a batch [n, d] (downloaded once; not part of any timing). */
export function momentsOf(x: tf.Tensor2D): Moments {
  const [mean, variance, fourth] = tf.tidy(() => {
    const m = tf.mean(x, 0);
    const centred = tf.sub(x, m);
    const squared = tf.square(centred);
    return [m, tf.mean(squared, 0), tf.mean(tf.square(squared), 0)];
  });
  const [mv, vv, fv] = [mean, variance, fourth].map((t) => t.dataSync() as Float32Array) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  tf.dispose([mean, variance, fourth]);
  return {
    n: x.shape[0],
    mean: Array.from(mv),
    variance: Array.from(vv),
    kurtosis: Array.from(fv, (f, j) => f / vv[j]! ** 2),
  };
}

/** Timings of the model's per-step pieces at one size. */
export interface ScoreTimings {
  /** One `score(x, a)` on [n, d] (ms). */
  readonly score: TimingSummary;
  /** One `logDensity(x, a)` (ms): RTK-MALA's second evaluation per inner step. */
  readonly logDensity: TimingSummary;
  /** One `rng.normal([n, d])` (ms): the noise of a stochastic step. */
  readonly normal: TimingSummary;
}

/** Times score, log-density and a normal draw on x = N(0, I) rows (seed 11) at level `level`. */
export async function measureScore(
  model: MixtureModel,
  size: SpeedSize,
  options: { repeats: number; level: number },
): Promise<ScoreTimings> {
  const x = createRng(11).normal([size.n, size.d]);
  try {
    const score = await timeRepeats(() => model.score(x, options.level).dispose(), options.repeats);
    const logDensity = await timeRepeats(
      () => model.logDensity!(x, options.level).dispose(),
      options.repeats,
    );
    const rng = createRng(12);
    const normal = await timeRepeats(() => rng.normal([size.n, size.d]).dispose(), options.repeats);
    return { score, logDensity, normal };
  } finally {
    x.dispose();
  }
}

/** One sampler at one size: timings, or why it did not run. */
export interface SamplerTiming {
  readonly sampler: string;
  readonly status: 'ok' | 'skipped' | 'error';
  /** Why skipped (over the time budget) or the error. */
  readonly message?: string;
  /** Wall time of one `sample` call (ms), warm-up excluded. */
  readonly ms?: TimingSummary;
  /** Evaluations the run used (≤ the budget). */
  readonly nfe?: number;
  /** n / median seconds. */
  readonly samplesPerSecond?: number;
  /** nfe · n / median seconds: per-row score and log-density evaluations per second. */
  readonly scoreEvaluationsPerSecond?: number;
  /** RTK: mean inner acceptance. */
  readonly acceptance?: number;
}

/** Runs `sampler` `repeats + 1` times (the first is a warm-up) at the budget `nfe`; returns its timing and moments. */
export async function measureSampler(
  name: string,
  model: MixtureModel,
  size: SpeedSize,
  options: { nfe: number; repeats: number; seed: number; moments: boolean; signal?: AbortSignal },
): Promise<{ timing: SamplerTiming; moments?: Moments }> {
  const sampler = getSampler(name);
  let last: { nfe: number; acceptance?: number; moments?: Moments } | undefined;
  const times: number[] = [];
  const cpu: number[] = [];
  try {
    for (let i = 0; i <= options.repeats; i++) {
      const [start, cpuStart] = [performance.now(), cpuNow()];
      const { x, nfe, trace } = await sampler.sample({
        model,
        n: size.n,
        nfe: options.nfe,
        rng: createRng(options.seed),
        // With a signal the loop yields to the event loop between steps, so Ctrl-C lands within a step.
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      const [ms, cpuMs] = [performance.now() - start, cpuNow() - cpuStart];
      if (i > 0) {
        times.push(ms);
        cpu.push(cpuMs);
      }
      const acceptance = trace.summary.meanAcceptance;
      last = {
        nfe,
        ...(typeof acceptance === 'number' ? { acceptance } : {}),
        ...(options.moments && i === options.repeats ? { moments: momentsOf(x) } : {}),
      };
      x.dispose();
    }
  } catch (error) {
    if (!isRtkError(error) || error.code === 'E_ABORTED') throw error;
    return { timing: { sampler: name, status: 'error', message: `${error.code}: ${error.message}` } };
  }
  const ms = summarize(times, cpu);
  const seconds = ms.median / 1000;
  return {
    timing: {
      sampler: name,
      status: 'ok',
      ms,
      nfe: last!.nfe,
      samplesPerSecond: size.n / seconds,
      scoreEvaluationsPerSecond: (last!.nfe * size.n) / seconds,
      ...(last!.acceptance === undefined ? {} : { acceptance: last!.acceptance }),
    },
    ...(last!.moments === undefined ? {} : { moments: last!.moments }),
  };
}

/** The plan of a sampler at a budget, read off a one-row run: its levels and, for RTK, inner steps and step sizes. */
export interface SamplerPlan {
  readonly name: string;
  readonly levels: readonly number[];
  readonly innerSteps?: number;
  readonly stepSizes?: readonly number[];
}

/** Runs `name` on one row to read its grid and RTK settings (what the PyTorch peer must reproduce). */
export async function samplerPlan(name: string, model: MixtureModel, nfe: number): Promise<SamplerPlan> {
  const { x, trace } = await getSampler(name).sample({ model, n: 1, nfe, rng: createRng(0) });
  x.dispose();
  const innerSteps = trace.summary.innerSteps;
  const stepSizes = trace.stepInfo.map((info) => info.stepSize).filter((v): v is number => v !== undefined);
  return {
    name,
    levels: trace.levels,
    ...(typeof innerSteps === 'number' ? { innerSteps } : {}),
    ...(stepSizes.length > 0 ? { stepSizes } : {}),
  };
}
