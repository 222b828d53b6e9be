/**
 * 2-D toy data sets drawn with the seeded, row-keyed RNG: row i uses only its own row of each draw, so the first m rows
 * of a set of n equal a set of m (same rng).
 *   two moons (scikit-learn's `make_moons`): θ = π u, outer moon (cos θ, sin θ), inner moon (1 − cos θ, ½ − sin θ),
 *     each with probability ½, plus N(0, noise² I);
 *   swiss roll (the (x, z) plane of `make_swiss_roll`): t = (3π/2)(1 + 2u), (t cos t, t sin t) + N(0, noise² I);
 *   checkerboard: uniform on the 8 squares (i + j even) of a 4 × 4 board on [−2, 2]².
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { RtkError, ValidationError } from '@rtk-diffusion/tensor';
import { checkCount } from '../check.js';
import { type DataSet, dataSet } from './data.js';

/** Options of the noisy toy sets. */
export interface ToyNoiseOptions {
  /** Standard deviation of the isotropic Gaussian noise added to each point (default: per generator). */
  readonly noise?: number;
}

/** The toy set names, for a command line or a benchmark suite. */
export const TOY_DATA_NAMES: readonly ToyDataName[] = Object.freeze([
  'two-moons',
  'swiss-roll',
  'checkerboard',
]);

/** A toy set name. */
export type ToyDataName = 'two-moons' | 'swiss-roll' | 'checkerboard';

/** Default noise of {@link twoMoons}. */
export const TWO_MOONS_NOISE = 0.05;
/** Default noise of {@link swissRoll} (the roll spans ≈ ±13). */
export const SWISS_ROLL_NOISE = 0.25;

function checkNoise(noise: number, where: string): number {
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new ValidationError(`${where}: noise must be a finite number ≥ 0, got ${noise}`, { noise });
  }
  return noise;
}

/** n points of the two moons; labels 0 (outer) and 1 (inner). */
export function twoMoons(n: number, rng: Rng, options: ToyNoiseOptions = {}): DataSet {
  checkCount(n, 'twoMoons');
  const noise = checkNoise(options.noise ?? TWO_MOONS_NOISE, 'twoMoons');
  const u = rng.uniformArray(n, 2);
  const z = rng.normalArray(n, 2);
  const values = new Float32Array(2 * n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const theta = Math.PI * u[2 * i + 1]!;
    const inner = u[2 * i]! >= 0.5;
    labels[i] = inner ? 1 : 0;
    values[2 * i] = (inner ? 1 - Math.cos(theta) : Math.cos(theta)) + noise * z[2 * i]!;
    values[2 * i + 1] = (inner ? 0.5 - Math.sin(theta) : Math.sin(theta)) + noise * z[2 * i + 1]!;
  }
  return dataSet(values, n, 2, { labels, name: 'two-moons' });
}

/** n points of the 2-D swiss roll. */
export function swissRoll(n: number, rng: Rng, options: ToyNoiseOptions = {}): DataSet {
  checkCount(n, 'swissRoll');
  const noise = checkNoise(options.noise ?? SWISS_ROLL_NOISE, 'swissRoll');
  const u = rng.uniformArray(n, 1);
  const z = rng.normalArray(n, 2);
  const values = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * u[i]!);
    values[2 * i] = t * Math.cos(t) + noise * z[2 * i]!;
    values[2 * i + 1] = t * Math.sin(t) + noise * z[2 * i + 1]!;
  }
  return dataSet(values, n, 2, { name: 'swiss-roll' });
}

/** The 8 squares (column, row) with column + row even of the 4 × 4 board. */
const BLACK_SQUARES: readonly (readonly [number, number])[] = Array.from(
  { length: 16 },
  (_, k) => [k % 4, Math.floor(k / 4)] as const,
).filter(([column, row]) => (column + row) % 2 === 0);

/** n points uniform on the black squares of a 4 × 4 checkerboard on [−2, 2]²; labels are the square index 0…7. */
export function checkerboard(n: number, rng: Rng): DataSet {
  checkCount(n, 'checkerboard');
  const u = rng.uniformArray(n, 3);
  const values = new Float32Array(2 * n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const square = Math.min(BLACK_SQUARES.length - 1, Math.floor(u[3 * i]! * BLACK_SQUARES.length));
    const [column, row] = BLACK_SQUARES[square]!;
    labels[i] = square;
    values[2 * i] = column + u[3 * i + 1]! - 2;
    values[2 * i + 1] = row + u[3 * i + 2]! - 2;
  }
  return dataSet(values, n, 2, { labels, name: 'checkerboard' });
}

/** The toy set of a name (see {@link TOY_DATA_NAMES}), with its default noise unless given. */
export function toyData(name: ToyDataName, n: number, rng: Rng, options: ToyNoiseOptions = {}): DataSet {
  switch (name) {
    case 'two-moons':
      return twoMoons(n, rng, options);
    case 'swiss-roll':
      return swissRoll(n, rng, options);
    case 'checkerboard':
      return checkerboard(n, rng);
    default:
      throw new RtkError(
        'E_UNKNOWN_NAME',
        `toyData: unknown toy data set '${String(name)}'; choose one of ${TOY_DATA_NAMES.join(', ')}`,
        { details: { name } },
      );
  }
}
