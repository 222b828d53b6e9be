/**
 * RTK's NFE cost model and budget rule (ALGORITHMS.md §5 "RTK": every evaluation counted, the budget split evenly
 * across segments).
 *
 * A segment costs its start (warm or DDPM start: one score evaluation; cold start: none), the inner kernel's init and
 * m inner steps:   cost per segment = start + init + m × step   (MALA: init 2, step 2; the other kernels 1 and 1).
 *
 * Budget rule, for a budget of nfe evaluations:
 *   segments  K = the given number (or the curvature rule's count), which must afford one inner step each; by default
 *               K = min(5, ⌊nfe / (start + init + step)⌋) ≥ 1: the paper's 5 segments, or as many as fit when the budget
 *               cannot pay for 5 (so every sampler runs from a budget of one segment with one inner step);
 *   inner steps m = ⌊(⌊nfe / K⌋ − start − init) / step⌋ per segment, unless `innerSteps` is given.
 * The run then uses exactly K × (start + init + m × step) ≤ nfe evaluations; `nfeForSteps` returns that number.
 */
import { countNfe, type Kernel } from '@rtk-diffusion/mcmc';
import { RtkError } from '@rtk-diffusion/tensor';
import type { RtkStart } from './rtk.js';
import type { CostModel } from './types.js';

/** The default number of segments: the paper's mixture experiment (ALGORITHMS.md §7). */
export const DEFAULT_SEGMENTS = 5;

/** What an inner kernel costs, read off the kernel itself (its costs do not depend on the step size). */
export interface InnerCost {
  /** Registry name of the RTK variant, for messages. */
  readonly name: string;
  /** Evaluations of the kernel's init (gradient and log-density at the chains' start). */
  readonly initCost: number;
  /** Evaluations of one inner step. */
  readonly stepCost: number;
  /** Whether the kernel evaluates the log-density (exact MALA). */
  readonly needsLogDensity: boolean;
  /** Whether the kernel has an accept/reject step (and so can adapt its step size). */
  readonly reportsAcceptance: boolean;
}

/** The costs of `kernel` (any step size: costs do not depend on it), for the RTK variant `name`. */
export function innerCost(name: string, kernel: Kernel, reportsAcceptance: boolean): InnerCost {
  return {
    name,
    initCost: countNfe(kernel.evaluationsPerInit),
    stepCost: countNfe(kernel.evaluationsPerStep),
    needsLogDensity: kernel.needsLogDensity,
    reportsAcceptance,
  };
}

/** Evaluations per segment outside the inner steps: the start (warm or DDPM: one; cold: none) and the kernel's init. */
export function segmentOverhead(inner: InnerCost, start: RtkStart): number {
  return (start === 'cold' ? 0 : 1) + inner.initCost;
}

/** Evaluations of one segment with `innerSteps` inner steps. */
function segmentCost(inner: InnerCost, start: RtkStart, innerSteps: number): number {
  return segmentOverhead(inner, start) + inner.stepCost * innerSteps;
}

/** m = ⌊(⌊nfe / segments⌋ − start − init) / step⌋, possibly < 1 when the budget is too small. */
function innerStepsThatFit(inner: InnerCost, nfe: number, segments: number, start: RtkStart): number {
  return Math.floor((Math.floor(nfe / segments) - segmentOverhead(inner, start)) / inner.stepCost);
}

/**
 * Inner steps per segment that fit a budget of `nfe` over `segments` segments (the budget split evenly).
 *
 * @throws RtkError `E_BUDGET` when not even one inner step per segment fits, naming the minimum.
 */
export function innerStepsForBudget(
  inner: InnerCost,
  nfe: number,
  segments: number,
  start: RtkStart,
): number {
  const steps = innerStepsThatFit(inner, nfe, segments, start);
  if (steps < 1) {
    const minimum = segments * segmentCost(inner, start, 1);
    throw new RtkError(
      'E_BUDGET',
      `${inner.name} needs at least ${minimum} evaluations (${segments} segments × (${segmentOverhead(inner, start)} + ${inner.stepCost} for one inner step)), got nfe = ${nfe}`,
      { details: { nfe, minimum, segments } },
    );
  }
  return steps;
}

/** What the budget rule needs to know about a run's options. */
export interface RtkBudgetOptions {
  /** A fixed number of segments (given, or from the curvature rule); undefined for the default rule. */
  readonly segments: number | undefined;
  readonly start: RtkStart;
  /** Fixed inner steps per segment; undefined to split the budget. */
  readonly innerSteps: number | undefined;
  /** The run's budget, when known (it fixes the inner steps, and so the exact cost of K segments). */
  readonly nfe: number | undefined;
}

/**
 * The number of segments for a budget of `nfe` (the budget rule above).
 *
 * @throws RtkError `E_BUDGET` when the budget cannot pay for the given segments, or for one segment by default.
 */
export function segmentsForBudget(inner: InnerCost, nfe: number, options: RtkBudgetOptions): number {
  const perSegment = segmentCost(inner, options.start, options.innerSteps ?? 1);
  const fixed = options.segments;
  const segments = fixed ?? Math.min(DEFAULT_SEGMENTS, Math.floor(nfe / perSegment));
  const needed = (fixed ?? 1) * perSegment;
  if (segments < 1 || nfe < needed) {
    const what = fixed === undefined ? 'one segment' : `${fixed} segments`;
    throw new RtkError(
      'E_BUDGET',
      `${inner.name} needs at least ${needed} evaluations for ${what}, got nfe = ${nfe}`,
      { details: { nfe, minimum: needed, segments: fixed ?? 1 } },
    );
  }
  return segments;
}

/**
 * The cost model of an RTK run: `stepsForBudget` is the budget rule; `nfeForSteps(K)` is exact for K segments with
 * the inner steps the run will use (given, or split from `options.nfe`; one per segment when neither is known);
 * `minNfe` is the budget of the given segments (or of one segment by default) with one inner step each.
 */
export function rtkCost(inner: InnerCost, options: RtkBudgetOptions): CostModel {
  const { start, nfe } = options;
  const innerSteps = (segments: number) =>
    options.innerSteps ??
    (nfe === undefined ? 1 : Math.max(1, innerStepsThatFit(inner, nfe, segments, start)));
  return {
    evalsPerStep: `${segmentOverhead(inner, start)} + ${inner.stepCost} × inner steps per segment`,
    minNfe: (options.segments ?? 1) * segmentCost(inner, start, options.innerSteps ?? 1),
    nfeForSteps: (steps) => (steps <= 0 ? 0 : steps * segmentCost(inner, start, innerSteps(steps))),
    stepsForBudget: (budget) => segmentsForBudget(inner, budget, options),
  };
}
