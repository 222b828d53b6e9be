/**
 * Sliced Wasserstein-2 distance (ALGORITHMS.md §6; Rabin, Peyré, Delon, Bernot 2011; Bonneel et al. 2015):
 * SW₂²(P, Q) = E_θ W₂²(θᵀ♯P, θᵀ♯Q) over directions θ uniform on the unit sphere, each 1-D W₂ exact from sorted samples.
 */
import { type Rng, tf, ValidationError } from '@rtk-diffusion/tensor';
import { assertInteger, type HostSamples, readPair, type SampleInput } from './samples.js';

/** Options of {@link slicedWasserstein}. */
export interface SlicedWassersteinOptions {
  /** Draws the directions, from `rng.fork('sliced-wasserstein')`: the same rng gives the same directions every call. */
  readonly rng: Rng;
  /** Number L of random directions, default {@link DEFAULT_PROJECTIONS}. */
  readonly projections?: number;
}

/** Result of {@link slicedWasserstein}. */
export interface SlicedWassersteinResult {
  /** SW₂ = sqrt(SW₂²), in the units of the data. */
  readonly value: number;
  /** The Monte Carlo estimate of SW₂²: the mean of W₂² over the L directions. */
  readonly squared: number;
  /** Monte Carlo standard error of `squared` over the directions (not the sampling error of the data). */
  readonly projectionError: number;
  /** L, the number of directions used. */
  readonly projections: number;
}

/** Default number of directions: 128. */
export const DEFAULT_PROJECTIONS: number = 128;

/**
 * Sliced Wasserstein-2 between `samples` (n rows) and `reference` (m rows). Each direction θ_l is a normalised
 * standard normal vector; the 1-D W₂² between the projected empirical laws is exact, ∫₀¹ (F⁻¹(u) − G⁻¹(u))² du over
 * the merged steps of the two quantile functions (with n = m: the mean squared difference of the sorted values).
 *
 * Estimator: unbiased Monte Carlo over directions for SW₂² of the two empirical laws (error `projectionError`); as an
 * estimate of SW₂² between the underlying laws the plug-in is biased upwards (two samples of one law give ≈ O(1/n)
 * for smooth 1-D laws). Identical samples give exactly 0. For Gaussians N(μ₁, s₁² I) and N(μ₂, s₂² I) in d dimensions,
 * SW₂² = ‖μ₁ − μ₂‖²/d + (s₁ − s₂)².
 *
 * Cost: one matrix product (n + m) × d × L on the active TensorFlow.js backend, then L sorts: O(L (n + m) log(n + m)).
 *
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample is empty, projections < 1 or `rng` is
 *   missing; NonFiniteSampleError on NaN or infinite values.
 */
export async function slicedWasserstein(
  samples: SampleInput,
  reference: SampleInput,
  options: SlicedWassersteinOptions,
): Promise<SlicedWassersteinResult> {
  if (options?.rng === undefined) {
    throw new ValidationError(
      'slicedWasserstein needs options.rng to draw its directions (e.g. createRng(0))',
    );
  }
  const projections = options.projections ?? DEFAULT_PROJECTIONS;
  assertInteger(projections, 1, 'projections');
  const [x, y] = await readPair(samples, reference);
  const directions = unitDirections(options.rng.fork('sliced-wasserstein'), projections, x.d);
  const px = await project(x, directions, projections);
  const py = await project(y, directions, projections);
  const perDirection = new Float64Array(projections);
  const a = new Float64Array(x.n);
  const b = new Float64Array(y.n);
  for (let l = 0; l < projections; l++) {
    for (let i = 0; i < x.n; i++) a[i] = px[i * projections + l]!;
    for (let j = 0; j < y.n; j++) b[j] = py[j * projections + l]!;
    perDirection[l] = wasserstein2Squared(a.sort(), b.sort());
  }
  let mean = 0;
  for (const w of perDirection) mean += w / projections;
  let squares = 0;
  for (const w of perDirection) squares += (w - mean) ** 2;
  const projectionError = projections > 1 ? Math.sqrt(squares / (projections - 1) / projections) : Number.NaN;
  return { value: Math.sqrt(Math.max(mean, 0)), squared: mean, projectionError, projections };
}

/**
 * W₂² between two 1-D empirical laws given as sorted arrays: the integral of the squared difference of their quantile
 * functions, which are step functions with steps at i/n and j/m.
 */
export function wasserstein2Squared(sortedA: Float64Array, sortedB: Float64Array): number {
  const n = sortedA.length;
  const m = sortedB.length;
  let i = 0;
  let j = 0;
  let u = 0;
  let total = 0;
  while (i < n && j < m) {
    // Compare the next steps (i+1)/n and (j+1)/m exactly in integers.
    const nextA = (i + 1) * m;
    const nextB = (j + 1) * n;
    const next = Math.min(nextA, nextB) / (n * m);
    total += (sortedA[i]! - sortedB[j]!) ** 2 * (next - u);
    u = next;
    if (nextA <= nextB) i++;
    if (nextB <= nextA) j++;
  }
  return total;
}

/** L directions: rows of an [L, d] standard normal draw, each scaled to unit length (uniform on the sphere). */
function unitDirections(rng: Rng, projections: number, d: number): Float32Array {
  const raw = rng.normalArray(projections, d);
  const out = new Float32Array(projections * d);
  for (let l = 0; l < projections; l++) {
    let norm = 0;
    for (let c = 0; c < d; c++) norm += raw[l * d + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < d; c++) out[l * d + c] = raw[l * d + c]! / norm;
  }
  return out;
}

/** The [n, L] matrix of projections x_i · θ_l, row-major. */
async function project(x: HostSamples, directions: Float32Array, projections: number): Promise<Float32Array> {
  const result = tf.tidy(() => {
    const values = tf.tensor2d(Float32Array.from(x.values), [x.n, x.d], 'float32');
    const theta = tf.tensor2d(directions, [projections, x.d], 'float32');
    return tf.matMul(values, theta, false, true);
  });
  try {
    return (await result.data()) as Float32Array;
  } finally {
    result.dispose();
  }
}
