/**
 * The Reverse Transition Kernel framework (Huang, Zou, Dong, Zhang, Ma, Zhang, NeurIPS 2024); ALGORITHMS.md §5 "RTK".
 *
 * The noise path is split into a few segments. Going from y at level a to level a' (r = a / a' = e^{−2η}), x is drawn
 * from the reverse transition kernel with an inner MCMC kernel:
 *   π(x | y) ∝ p_{a'}(x) · exp(−‖y − √r x‖² / (2 (1 − r))),
 *   ∇ log π(x | y) = s(x, a') + √r (y − √r x) / (1 − r).
 * Warm start x₀ = (y + (1 − r) s(y, a)) / √r (one evaluation); cold start x₀ = y / √r (the centre of the Gaussian
 * factor, no evaluation). Inner step size τ = c / (L(a') + r/(1 − r)) from the model's `curvatureBound`
 * (rtk-curvature.ts), an explicit τ, or adapted toward acceptance 0.574. Every evaluation of the score and of the
 * log-density is counted in NFE; the budget rule (segments × inner steps) is in rtk-budget.ts.
 *
 * This file is the framework; `rtk-ula.ts`, `rtk-mala.ts`, `rtk-mala-score.ts` and `rtk-uld.ts` are its variants.
 */
import { adaptStepSize, type Kernel } from '@rtk-diffusion/mcmc';
import type { ScoreModel } from '@rtk-diffusion/scores';
import { type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import { isExplicitGrid } from './grid.js';
import { type InnerCost, innerCost, innerStepsForBudget, rtkCost } from './rtk-budget.js';
import {
  curvatureSegmentLevels,
  curvatureStepSize,
  type StepSizeRule,
  subproblemCurvature,
} from './rtk-curvature.js';
import { sampleTransition } from './rtk-transition.js';
import { defineSampler, type Sampler } from './sampler.js';
import type { CostModel, GridChoice, SampleOptions } from './types.js';

/** How the inner chains of a segment start. */
export type RtkStart = 'warm' | 'ddpm' | 'cold';

/** Options of every RTK sampler. */
export interface RtkOptions {
  /**
   * Number of segments (outer steps). Default: 5, as in the paper's mixture experiment, or as many as the budget pays
   * for with one inner step each when it cannot pay for 5 (down to 1; the budget rule of rtk-budget.ts). A given
   * number is kept (a smaller budget is an `E_BUDGET` error). `'curvature'` applies the segment-length rule of
   * ALGORITHMS.md §5 with the model's `curvatureBound`: each segment ends where r = 2L(a')/(2L(a') + 1), so every
   * subproblem has condition number at most 3. An explicit grid (levels or a `Grid`) fixes the segments itself, so
   * giving both is a `ValidationError`.
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
  readonly stepSizeRule?: StepSizeRule;
  /** True for kernels with an accept/reject step (MALA variants): they can adapt their step size. */
  readonly reportsAcceptance?: boolean;
  /** Builds the kernel for a segment with step size `stepSize` on a subproblem of curvature `curvature`. */
  kernel(parameters: { readonly stepSize: number; readonly curvature: number }): Kernel;
}

const DEFAULTS = { horizon: 4, delta: 1e-3, start: 'warm', maxSegments: 200 } as const;

/** The curvature-rule levels for these options, or undefined when no model is known yet (listing). */
function curvatureLevels(options: Partial<SampleOptions & RtkOptions>): number[] | undefined {
  if (options.model === undefined) return undefined;
  const bound = curvatureBoundOf(options.model);
  if (bound === undefined) {
    throw new ValidationError(`RTK: segments: 'curvature' needs a model with curvatureBound(a)`);
  }
  return curvatureSegmentLevels(bound, {
    horizon: options.horizon ?? DEFAULTS.horizon,
    delta: options.delta ?? DEFAULTS.delta,
    maxSegments: options.maxSegments ?? DEFAULTS.maxSegments,
  });
}

/** The model's Hessian bound L(a), bound to the model, if it has one. */
function curvatureBoundOf(model: ScoreModel): ((a: number) => number) | undefined {
  const bound = model.curvatureBound;
  return bound === undefined ? undefined : (a) => bound.call(model, a);
}

/** The fixed segment count of these options (a number, or the curvature rule's count), or undefined by default. */
function fixedSegments(name: string, options: Partial<SampleOptions & RtkOptions>): number | undefined {
  const segments = options.segments;
  if (segments === undefined) return undefined;
  if (isExplicitGrid(options.grid)) {
    throw new ValidationError(
      `${name}: give either segments or an explicit grid (whose steps are the segments), not both`,
      { segments },
    );
  }
  if (segments === 'curvature') {
    const levels = curvatureLevels(options);
    return levels === undefined ? undefined : levels.length - 1;
  }
  if (!(Number.isInteger(segments) && segments >= 1)) {
    throw new ValidationError(`RTK: segments must be an integer ≥ 1 or 'curvature', got ${String(segments)}`);
  }
  return segments;
}

/** The cost model (budget rule and exact NFE, rtk-budget.ts) for these options. */
function costOf(inner: InnerCost, options: Partial<SampleOptions & RtkOptions>): CostModel {
  const { innerSteps } = options;
  if (innerSteps !== undefined && !(Number.isInteger(innerSteps) && innerSteps >= 1)) {
    throw new ValidationError(`${inner.name}: innerSteps must be an integer ≥ 1, got ${innerSteps}`, {
      innerSteps,
    });
  }
  return rtkCost(inner, {
    segments: fixedSegments(inner.name, options),
    start: options.start ?? DEFAULTS.start,
    innerSteps: options.innerSteps,
    nfe: options.nfe,
  });
}

/** Builds an RTK sampler from its inner kernel. */
export function rtk(inner: RtkInner): Sampler<RtkOptions> {
  const cost = innerCost(
    inner.name,
    inner.kernel({ stepSize: 1, curvature: 1 }),
    inner.reportsAcceptance ?? false,
  );
  const rule: StepSizeRule = inner.stepSizeRule ?? 'inverse';
  return defineSampler<RtkOptions>({
    name: inner.name,
    title: inner.title,
    reference: 'Huang, Zou, Dong, Zhang, Ma, Zhang, NeurIPS 2024; ALGORITHMS.md §5 "RTK"',
    cost: (options) => costOf(cost, options),
    defaultGrid: (options): GridChoice =>
      options.segments === 'curvature' && options.model !== undefined
        ? (curvatureLevels(options) ?? [])
        : {
            schedule: 'ouUniform',
            options: { delta: options.delta ?? DEFAULTS.delta, horizon: options.horizon ?? DEFAULTS.horizon },
          },
    createStepper: (options, plan) => {
      const { start, adapt, factor } = checkOptions(inner, cost, options);
      const bound = curvatureBoundOf(options.model);
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
          const curvature = subproblemCurvature(bound, a, aNext);
          const stepSize =
            typeof options.stepSize === 'number'
              ? options.stepSize
              : curvatureStepSize(rule, factor, curvature);
          // (1) start: warm x₀ = (y + (1 − r) s(y, a)) / √r (+ √((1 − r)/r) z for 'ddpm'), or cold x₀ = y / √r
          const x0 = tf.tidy(() => {
            if (start === 'cold') return tf.div(y, Math.sqrt(r));
            const s = context.score(y, a);
            if (start === 'warm') return tf.div(tf.add(y, tf.mul(s, 1 - r)), Math.sqrt(r));
            // 'ddpm': the mean plus √((1 − r)/r) z in one pass, bit for bit the tfjs ops (Rng.noisyUpdate)
            return context.rng.fork('start').noisyUpdate(y, {
              drift: s,
              driftScale: 1 - r,
              divisor: Math.sqrt(r),
              divide: 'before-noise',
              noiseScale: Math.sqrt((1 - r) / r),
            });
          }) as Tensor2D;
          // (2) inner MCMC on π(x | y), with τ adapted per chain over the first half of the steps when asked
          const kernel: Kernel = adapt
            ? adaptStepSize((tau) => inner.kernel({ stepSize: tau as number, curvature }), {
                initialStepSize: stepSize,
                warmupSteps: Math.ceil(innerSteps / 2),
                perChain: true,
              })
            : inner.kernel({ stepSize, curvature });
          const result = await sampleTransition(kernel, context, y, x0, innerSteps);
          if (result.acceptance !== undefined) acceptances.push(result.acceptance);
          return {
            x: result.x,
            info: {
              innerSteps,
              // the step size used: the curvature-aware or given τ, or the adapted τ of the last step (chain mean)
              ...(adapt
                ? result.stepSize === undefined
                  ? {}
                  : { stepSize: result.stepSize }
                : { stepSize }),
              evaluations: result.evaluations,
              ...(result.acceptance === undefined ? {} : { acceptance: result.acceptance }),
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

/** Checks a run's RTK options against the kernel and the model; returns the start, adaptation and factor c. */
function checkOptions(
  inner: RtkInner,
  cost: InnerCost,
  options: SampleOptions & Partial<RtkOptions>,
): { start: RtkStart; adapt: boolean; factor: number } {
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
  const hasBound = options.model.curvatureBound !== undefined;
  const adapt =
    options.stepSize === 'adapt' || (options.stepSize === undefined && !hasBound && cost.reportsAcceptance);
  if (adapt && !cost.reportsAcceptance) {
    throw new ValidationError(
      `${inner.name}: stepSize 'adapt' needs a kernel with an acceptance step (rtk-mala, rtk-mala-score)`,
    );
  }
  if (!(factor > 0)) throw new ValidationError(`${inner.name}: stepSizeFactor must be > 0, got ${factor}`);
  if (cost.needsLogDensity && options.model.logDensity === undefined) {
    throw new ValidationError(
      `${inner.name} needs the model's logDensity (exact MALA); this model has none: use rtk-mala-score`,
    );
  }
  if (options.stepSize === undefined && !hasBound && !adapt) {
    throw new ValidationError(
      `${inner.name}: the model has no curvatureBound(a), so give an explicit inner stepSize`,
    );
  }
  return { start, adapt, factor };
}
