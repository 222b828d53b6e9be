/**
 * NFE accounting: counts of batch evaluations of a target, added up exactly (ALGORITHMS.md §5, "NFE").
 */
import type { Evaluations } from './types.js';

/** No evaluation. */
export const NO_EVALUATIONS: Evaluations = Object.freeze({ grad: 0, logDensity: 0 });

/** The sum of two counts. */
export function addEvaluations(a: Evaluations, b: Evaluations): Evaluations {
  return { grad: a.grad + b.grad, logDensity: a.logDensity + b.logDensity };
}

/** `count` times the evaluations `each` (e.g. a kernel's `evaluationsPerStep` times a number of steps). */
export function scaleEvaluations(each: Evaluations, count: number): Evaluations {
  return { grad: each.grad * count, logDensity: each.logDensity * count };
}

/** The NFE of a count: gradient evaluations plus log-density evaluations (each batch call counts one). */
export function countNfe(evaluations: Evaluations): number {
  return evaluations.grad + evaluations.logDensity;
}
