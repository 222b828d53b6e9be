/**
 * The Reverse Transition Kernel framework (Huang, Zou, Dong, Zhang, Ma, Zhang, NeurIPS 2024); ALGORITHMS.md §5 "RTK".
 *
 * The noise path is split into a few segments. Going from y at level a to level a' (r = a / a' = e^{−2η}), x is drawn
 * from the reverse transition kernel with an inner MCMC kernel:
 *   π(x | y) ∝ p_{a'}(x) · exp(−‖y − √r x‖² / (2 (1 − r))),
 *   ∇ log π(x | y) = s(x, a') + √r (y − √r x) / (1 − r).
 * Warm start x₀ = (y + (1 − r) s(y, a)) / √r (one evaluation); cold start x₀ = y / √r (the centre of the Gaussian
 * factor, no evaluation). Inner step size τ = c / (L(a') + r/(1 − r)) from the model's `curvatureBound`, or an explicit
 * τ. Every evaluation of the score and of the log-density is counted in NFE.
 *
 * This file is the framework; `rtk-ula.ts`, `rtk-mala.ts`, `rtk-mala-score.ts` and `rtk-uld.ts` are its variants.
 */
import { adaptStepSize, countNfe, type Kernel, run, type Target } from '@rtk-diffusion/mcmc';
import { RtkError, type Tensor1D, type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import { defineSampler, type Sampler } from './sampler.js';
import type { CostModel, GridChoice, SampleOptions, StepContext } from './types.js';

/** How the inner chains of a segment start. */
export type RtkStart = 'warm' | 'ddpm' | 'cold';

/** Options of every RTK sampler. */
export interface RtkOptions {
  /**
   * Number of segments (outer steps); default 5, as in the paper's mixture experiment. `'curvature'` applies the
   * segment-length rule of ALGORITHMS.md §5 with the model's `curvatureBound`: each segment ends where
   * r = 2L(a')/(2L(a') + 1), so every subproblem has condition number at most 3.
   */
  readonly segments: number | 'curvature';
  /** Upper limit on segments of the `'curvature'` rule (default 200). */
  readonly maxSegments: number;
  /** OU horizon T: the noisiest level is e^{−2T}; default 4 (a_K ≈ 3.4e−4). */
  readonly horizon: number;
  /** Early-stopping OU time δ: the cleanest level is e^{−2δ}; default 1e−3. */
  readonly delta: number;
  /** Inner steps per segment; default: as many as the NFE budget allows, split evenly across segments. */
  readonly innerSteps: number;
  /**
   * Inner step size τ: a number, or `'adapt'` (dual averaging toward acceptance 0.574 during the first half of each
   * segment's inner steps, per chain so rows stay independent; Metropolis kernels only). Default: curvature-aware
   * c / (L(a') + r/(1 − r)) when the model has `curvatureBound`, else `'adapt'` for the MALA variants.
   */
  readonly stepSize: number | 'adapt';
  /** The constant c of the curvature-aware step size; default per kernel (MALA 0.3). */
  readonly stepSizeFactor: number;
  /**
   * How each segment's chains start: `'warm'` (default, ALGORITHMS.md §5) x₀ = (y + (1 − r) s(y, a)) / √r, one
   * evaluation; `'ddpm'` the same mean plus DDPM noise √((1 − r)/r) z (a full DDPM step, so the chains start with
   * spread, one evaluation); `'cold'` x₀ = y / √r, the centre of the Gaussian factor, no evaluation.
   */
  readonly start: RtkStart;
}

/** The inner-kernel half of an RTK variant: how to build the kernel for one segment. */
export interface RtkInner {
  /** Registry name of the variant (`rtk-mala`). */
  readonly name: string;
  readonly title: string;
  /** Default constant c of the curvature-aware step size. */
  readonly stepSizeFactor: number;
  /**
   * How the step size follows the subproblem's curvature κ = L(a') + r/(1 − r): `'inverse'` τ = c / κ (Langevin and
   * MALA, ALGORITHMS.md §5; default) or `'inverseSqrt'` h = c / √κ (underdamped Langevin, whose stable step scales as
   * 1/√κ).
   */
  readonly stepSizeRule?: 'inverse' | 'inverseSqrt';
  /** True for kernels with an accept/reject step (MALA variants): they can adapt their step size. */
  readonly reportsAcceptance?: boolean;
  /** Builds the kernel for a segment with step size `stepSize` on a subproblem of curvature `curvature`. */
  kernel(parameters: { readonly stepSize: number; readonly curvature: number }): Kernel;
}

const DEFAULTS = { segments: 5, horizon: 4, delta: 1e-3, start: 'warm' } as const;

/** What an inner kernel costs, read off the kernel itself (its costs do not depend on the step size). */
interface InnerCost {
  readonly name: string;
  readonly initCost: number;
  readonly stepCost: number;
  readonly needsLogDensity: boolean;
  /** Whether the kernel has an accept/reject step (and so can adapt its step size). */
  readonly reportsAcceptance: boolean;
}

function innerCost(inner: RtkInner): InnerCost {
  const probe = inner.kernel({ stepSize: 1, curvature: 1 });
  return {
    name: inner.name,
    initCost: countNfe(probe.evaluationsPerInit),
    stepCost: countNfe(probe.evaluationsPerStep),
    needsLogDensity: probe.needsLogDensity,
    reportsAcceptance: inner.reportsAcceptance ?? false,
  };
}

/** Evaluations per segment outside the inner steps: the warm start and the kernel's init. */
function segmentOverhead(inner: InnerCost, start: RtkStart): number {
  return (start === 'cold' ? 0 : 1) + inner.initCost;
}

/** Inner steps per segment that fit a budget of `nfe` over `segments` segments. */
export function innerStepsForBudget(
  inner: InnerCost,
  nfe: number,
  segments: number,
  start: RtkStart,
): number {
  const perSegment = Math.floor(nfe / segments);
  const steps = Math.floor((perSegment - segmentOverhead(inner, start)) / inner.stepCost);
  if (steps < 1) {
    const minimum = segments * (segmentOverhead(inner, start) + inner.stepCost);
    throw new RtkError(
      'E_BUDGET',
      `${inner.name} needs at least ${minimum} evaluations (${segments} segments × (${segmentOverhead(inner, start)} + ${inner.stepCost} for one inner step)), got nfe = ${nfe}`,
      { details: { nfe, minimum, segments } },
    );
  }
  return steps;
}

/**
 * The levels of the curvature rule (ALGORITHMS.md §5), noisiest first: from a = e^{−2T}, each segment ends at the a'
 * with a / a' = 2L(a') / (2L(a') + 1), found by fixed-point iteration, until the cleanest level e^{−2δ}.
 */
export function curvatureSegmentLevels(
  curvatureBound: (a: number) => number,
  options: { readonly horizon: number; readonly delta: number; readonly maxSegments: number },
): number[] {
  const aEnd = Math.exp(-2 * options.delta);
  const levels = [Math.exp(-2 * options.horizon)];
  while (levels.at(-1)! < aEnd) {
    const a = levels.at(-1)!;
    let next = a;
    for (let i = 0; i < 50; i++)
      next = Math.min(aEnd, a * (1 + 1 / (2 * Math.max(curvatureBound(next), 1e-12))));
    levels.push(next >= aEnd * (1 - 1e-12) ? aEnd : next);
    if (levels.length - 1 > options.maxSegments) {
      throw new RtkError(
        'E_BUDGET',
        `the curvature rule needs more than ${options.maxSegments} segments for this model (L(a) reaches ${curvatureBound(aEnd).toFixed(1)} at a = ${aEnd.toFixed(4)}); use a fixed number of segments or raise maxSegments`,
        { details: { maxSegments: options.maxSegments } },
      );
    }
  }
  return levels;
}

function segmentCount(options: Partial<SampleOptions & RtkOptions>): number {
  const segments = options.segments ?? DEFAULTS.segments;
  if (segments !== 'curvature') {
    if (!(Number.isInteger(segments) && segments >= 1)) {
      throw new ValidationError(
        `RTK: segments must be an integer ≥ 1 or 'curvature', got ${String(segments)}`,
      );
    }
    return segments;
  }
  const levels = curvatureLevels(options);
  return levels === undefined ? DEFAULTS.segments : levels.length - 1;
}

/** The curvature-rule levels for these options, or undefined when no model is known yet (listing). */
function curvatureLevels(options: Partial<SampleOptions & RtkOptions>): number[] | undefined {
  if (options.model === undefined) return undefined;
  const bound = options.model.curvatureBound;
  if (bound === undefined) {
    throw new ValidationError(`RTK: segments: 'curvature' needs a model with curvatureBound(a)`);
  }
  return curvatureSegmentLevels((a) => bound.call(options.model, a), {
    horizon: options.horizon ?? DEFAULTS.horizon,
    delta: options.delta ?? DEFAULTS.delta,
    maxSegments: options.maxSegments ?? 200,
  });
}

function rtkCost(inner: InnerCost, options: Partial<SampleOptions & RtkOptions>): CostModel {
  const segments = segmentCount(options);
  const start = options.start ?? DEFAULTS.start;
  const overhead = segmentOverhead(inner, start);
  const fixedInner = options.innerSteps;
  return {
    evalsPerStep: `${overhead} + ${inner.stepCost} × inner steps per segment`,
    minNfe: segments * (overhead + inner.stepCost * (fixedInner ?? 1)),
    nfeForSteps: (steps) => steps * (overhead + inner.stepCost * (fixedInner ?? 1)),
    stepsForBudget: (nfe) => {
      const needed = segments * (overhead + inner.stepCost * (fixedInner ?? 1));
      if (nfe < needed) {
        throw new RtkError(
          'E_BUDGET',
          `${inner.name} needs at least ${needed} evaluations for ${segments} segments, got nfe = ${nfe}`,
          {
            details: { nfe, minimum: needed, segments },
          },
        );
      }
      return segments;
    },
  };
}

/** The transition-kernel target π(x | y) of one segment, with counted evaluations. */
function transitionTarget(context: StepContext, y: Tensor2D, r: number): Target {
  const { aNext } = context;
  return {
    dim: context.dim,
    grad: (x) =>
      tf.tidy(() => {
        // ∇ log π(x | y) = s(x, a') + √r (y − √r x) / (1 − r)
        const s = context.score(x, aNext);
        return tf.add(s, tf.mul(tf.sub(y, tf.mul(x, Math.sqrt(r))), Math.sqrt(r) / (1 - r)));
      }),
    logDensity: (x) =>
      tf.tidy(() => {
        // log π(x | y) = log p_{a'}(x) − ‖y − √r x‖² / (2 (1 − r)) + const
        const logP = context.logDensity(x, aNext);
        const residual = tf.sub(y, tf.mul(x, Math.sqrt(r)));
        return tf.sub(logP, tf.div(tf.sum(tf.square(residual), 1), 2 * (1 - r))) as Tensor1D;
      }),
  };
}

/** Builds an RTK sampler from its inner kernel. */
export function rtk(inner: RtkInner): Sampler<RtkOptions> {
  const cost = innerCost(inner);
  return defineSampler<RtkOptions>({
    name: inner.name,
    title: inner.title,
    reference: 'Huang, Zou, Dong, Zhang, Ma, Zhang, NeurIPS 2024; ALGORITHMS.md §5 "RTK"',
    cost: (options) => rtkCost(cost, options),
    defaultGrid: (options): GridChoice =>
      options.segments === 'curvature' && options.model !== undefined
        ? (curvatureLevels(options) ?? [])
        : {
            schedule: 'ouUniform',
            options: { delta: options.delta ?? DEFAULTS.delta, horizon: options.horizon ?? DEFAULTS.horizon },
          },
    createStepper: (options, plan) => {
      const start = options.start ?? DEFAULTS.start;
      if (!['warm', 'ddpm', 'cold'].includes(start)) {
        throw new ValidationError(
          `${inner.name}: start must be 'warm', 'ddpm' or 'cold', got '${String(start)}'`,
        );
      }
      const factor = options.stepSizeFactor ?? inner.stepSizeFactor;
      if (options.stepSize !== undefined && options.stepSize !== 'adapt' && !(options.stepSize > 0)) {
        throw new ValidationError(`${inner.name}: stepSize must be > 0 or 'adapt', got ${options.stepSize}`);
      }
      const adapt =
        options.stepSize === 'adapt' ||
        (options.stepSize === undefined &&
          options.model.curvatureBound === undefined &&
          cost.reportsAcceptance);
      if (adapt && !cost.reportsAcceptance) {
        throw new ValidationError(
          `${inner.name}: stepSize 'adapt' needs a kernel with an acceptance step (rtk-mala, rtk-mala-score)`,
        );
      }
      if (!(factor > 0))
        throw new ValidationError(`${inner.name}: stepSizeFactor must be > 0, got ${factor}`);
      if (cost.needsLogDensity && options.model.logDensity === undefined) {
        throw new ValidationError(
          `${inner.name} needs the model's logDensity (exact MALA); this model has none: use rtk-mala-score`,
        );
      }
      if (options.stepSize === undefined && options.model.curvatureBound === undefined && !adapt) {
        throw new ValidationError(
          `${inner.name}: the model has no curvatureBound(a), so give an explicit inner stepSize`,
        );
      }
      const innerSteps =
        options.innerSteps ??
        (plan.nfe === undefined
          ? (() => {
              throw new ValidationError(`${inner.name}: give innerSteps or an NFE budget`);
            })()
          : innerStepsForBudget(cost, plan.nfe, plan.steps, start));
      const acceptances: number[] = [];
      return {
        step: async (y, context) => {
          const { a, aNext } = context;
          const r = a / aNext;
          const quadratic = r / (1 - r);
          const curvature = (options.model.curvatureBound?.(aNext) ?? 0) + quadratic;
          const stepSize =
            typeof options.stepSize === 'number'
              ? options.stepSize
              : inner.stepSizeRule === 'inverseSqrt'
                ? factor / Math.sqrt(curvature)
                : factor / curvature;
          // (1) start: warm x₀ = (y + (1 − r) s(y, a)) / √r (+ √((1 − r)/r) z for 'ddpm'), or cold x₀ = y / √r
          const x0 = tf.tidy(() => {
            if (start === 'cold') return tf.div(y, Math.sqrt(r));
            const mean = tf.div(tf.add(y, tf.mul(context.score(y, a), 1 - r)), Math.sqrt(r));
            return start === 'ddpm'
              ? tf.add(
                  mean,
                  tf.mul(context.rng.fork('start').normal([y.shape[0], context.dim]), Math.sqrt((1 - r) / r)),
                )
              : mean;
          }) as Tensor2D;
          // (2) inner MCMC on π(x | y)
          const target = transitionTarget(context, y, r);
          const kernel: Kernel = adapt
            ? adaptStepSize((tau) => inner.kernel({ stepSize: tau as number, curvature }), {
                initialStepSize: stepSize,
                warmupSteps: Math.ceil(innerSteps / 2),
                perChain: true,
              })
            : inner.kernel({ stepSize, curvature });
          let result: Awaited<ReturnType<typeof run>>;
          try {
            result = await run(kernel, target, x0, {
              steps: innerSteps,
              rng: context.rng,
              ...(context.signal === undefined ? {} : { signal: context.signal }),
            });
          } finally {
            x0.dispose();
          }
          const acceptance = result.acceptance?.mean;
          if (acceptance !== undefined) acceptances.push(acceptance);
          return {
            x: result.x,
            info: {
              innerSteps,
              ...(adapt ? {} : { stepSize }),
              evaluations: countNfe(result.evaluations),
              ...(acceptance === undefined ? {} : { acceptance }),
            },
          };
        },
        summary: () => ({
          segments: plan.steps,
          innerSteps,
          start,
          ...(acceptances.length > 0
            ? { meanAcceptance: acceptances.reduce((s, v) => s + v, 0) / acceptances.length }
            : {}),
        }),
      };
    },
  });
}
