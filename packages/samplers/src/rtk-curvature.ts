/**
 * The curvature of RTK's subproblems (ALGORITHMS.md §5 "RTK"). Going from level a to a' (r = a / a'), the target
 * π(x | y) ∝ p_{a'}(x) · exp(−‖y − √r x‖² / (2 (1 − r))) has Hessian of −log π between r/(1 − r) − L(a') and
 * κ = L(a') + r/(1 − r), where L(a') bounds the Hessian of −log p_{a'} (the model's `curvatureBound`). Two rules
 * follow from it:
 *   segment length: r/(1 − r) = 2L(a'), i.e. r = 2L(a')/(2L(a') + 1), so every subproblem has condition number ≤ 3;
 *   inner step size: τ = c / κ (Langevin, MALA) or h = c / √κ (underdamped Langevin, whose stable step is ∝ 1/√κ).
 */
import { RtkError } from '@rtk-diffusion/tensor';

/** Options of the segment-length rule. */
export interface CurvatureSegmentOptions {
  /** OU horizon T: the noisiest level is e^{−2T}. */
  readonly horizon: number;
  /** Early-stopping OU time δ: the cleanest level is e^{−2δ}. */
  readonly delta: number;
  /** Upper limit on the number of segments. */
  readonly maxSegments: number;
}

/**
 * The levels of the curvature rule, noisiest first: from a = e^{−2T}, each segment ends at the a' with
 * a / a' = 2L(a') / (2L(a') + 1), found by fixed-point iteration, until the cleanest level e^{−2δ}.
 *
 * @throws RtkError `E_BUDGET` when the rule needs more than `maxSegments` segments.
 */
export function curvatureSegmentLevels(
  curvatureBound: (a: number) => number,
  options: CurvatureSegmentOptions,
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

/** κ = L(a') + r/(1 − r): the largest curvature of the subproblem from a to a' (L = 0 without a bound). */
export function subproblemCurvature(
  curvatureBound: ((a: number) => number) | undefined,
  a: number,
  aNext: number,
): number {
  const r = a / aNext;
  return (curvatureBound?.(aNext) ?? 0) + r / (1 - r);
}

/** How the inner step size follows κ: `'inverse'` τ = c / κ, or `'inverseSqrt'` h = c / √κ. */
export type StepSizeRule = 'inverse' | 'inverseSqrt';

/** The curvature-aware inner step size: c / κ or c / √κ. */
export function curvatureStepSize(rule: StepSizeRule, factor: number, curvature: number): number {
  return rule === 'inverseSqrt' ? factor / Math.sqrt(curvature) : factor / curvature;
}
