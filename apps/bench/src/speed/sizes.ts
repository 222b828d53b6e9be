/**
 * The problem sizes of the speed suite (issue 9): isotropic Gaussian mixtures with K components in dimension d,
 * evaluated on n rows. The mixture of a size is fixed (seeded), so every backend and the PyTorch peer see the same
 * numbers.
 */
import type { MixtureSpec } from '@rtk-diffusion/scores';
import { createRng, ValidationError } from '@rtk-diffusion/tensor';

/** One size: n rows, dimension d, K components. */
export interface SpeedSize {
  readonly n: number;
  readonly d: number;
  readonly k: number;
}

/** The sizes of issue 9: (n, d, K) = (10 000, 2, 8), (100 000, 10, 16), (1 000, 784, 10). */
export const SPEED_SIZES: readonly SpeedSize[] = Object.freeze([
  { n: 10_000, d: 2, k: 8 },
  { n: 100_000, d: 10, k: 16 },
  { n: 1_000, d: 784, k: 10 },
]);

/** A size for tests: seconds on every backend. */
export const TINY_SPEED_SIZES: readonly SpeedSize[] = Object.freeze([{ n: 200, d: 3, k: 4 }]);

/** `10000x2x8`: the label of a size in tables, files and `--sizes`. */
export function sizeLabel(size: SpeedSize): string {
  return `${size.n}x${size.d}x${size.k}`;
}

/**
 * Parses `--sizes`: `issue` (the default sizes), `tiny`, or a comma-separated list of `NxDxK` (e.g. `10000x2x8`).
 *
 * @throws ValidationError naming the item that is not `NxDxK` with positive integers.
 */
export function parseSizes(text: string): SpeedSize[] {
  if (text === 'issue') return [...SPEED_SIZES];
  if (text === 'tiny') return [...TINY_SPEED_SIZES];
  return text.split(',').map((item) => {
    const parts = item.trim().split('x').map(Number);
    if (parts.length !== 3 || !parts.every((v) => Number.isInteger(v) && v > 0)) {
      throw new ValidationError(
        `--sizes: '${item}' is not NxDxK with positive integers (e.g. 10000x2x8), 'issue' or 'tiny'`,
      );
    }
    const [n, d, k] = parts as [number, number, number];
    return { n, d, k };
  });
}

/** The mixture of a size as plain numbers: equal weights, means 2·N(0, I) (seed 7), variances 0.05 + 0.01 i. */
export interface SpeedMixture {
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly variances: readonly number[];
}

/** The mixture of a size (the same as packages/scores' score-speed benchmark uses for isotropic components). */
export function speedMixture(size: SpeedSize): SpeedMixture {
  const { d, k } = size;
  const draws = createRng(7).normalArray(k, d);
  return {
    weights: new Array<number>(k).fill(1 / k),
    means: Array.from({ length: k }, (_, i) => Array.from(draws.subarray(i * d, (i + 1) * d), (v) => 2 * v)),
    variances: Array.from({ length: k }, (_, i) => 0.05 + 0.01 * i),
  };
}

/** The mixture as a `@rtk-diffusion/scores` spec (isotropic covariances). */
export function speedMixtureSpec(mixture: SpeedMixture): MixtureSpec {
  return {
    weights: [...mixture.weights],
    means: mixture.means.map((m) => [...m]),
    covariances: [...mixture.variances],
  };
}
