/** Argument checks shared by the models: the signal level and sample counts. */
import { ValidationError } from '@rtk-diffusion/tensor';

/**
 * Checks that `a` is a signal level in (0, 1] (ALGORITHMS.md §1) and returns it.
 *
 * @internal
 */
export function checkLevel(a: unknown, where: string): number {
  if (typeof a !== 'number' || !(a > 0 && a <= 1)) {
    throw new ValidationError(`${where}: the signal level a must be a number in (0, 1], got ${String(a)}`, {
      a,
    });
  }
  return a;
}

/**
 * Checks that `n` is a positive integer sample count and returns it.
 *
 * @internal
 */
export function checkCount(n: unknown, where: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ValidationError(`${where}: n must be an integer ≥ 1, got ${String(n)}`, { n });
  }
  return n;
}
