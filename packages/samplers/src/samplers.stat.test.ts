/**
 * The math of the deterministic and stochastic samplers on a Gaussian target, where everything is known in closed
 * form. Target: p_0 = N(μ, diag(v)) with d = 3, so p_a = N(√a μ, diag(a v + 1 − a)), and the probability-flow map from
 * level a to a' is affine and exact: x' = √a' μ + √(c(a')/c(a)) ⊙ (x − √a μ), c(a) = a v + 1 − a.
 */
import { customGrid, type Grid } from '@rtk-diffusion/schedules';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { sampleMoments } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { accelDet } from './accel-det.js';
import { accelStoch } from './accel-stoch.js';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { dpmSolverPP2M } from './dpmpp-2m.js';
import { pfOde } from './pf-ode.js';
import type { Sampler } from './sampler.js';

const mean = [1.5, -1, 0.5];
const variance = [0.25, 2, 1];
const model = gaussianModel({ mean, covariance: variance });
const d = mean.length;

/** Levels uniform in OU time t ∈ [δ, T] (a = e^{−2t}), noisiest first: a smooth family for order estimates. */
function ouGrid(steps: number, delta = 0.01, horizon = 4): Grid {
  const levels = Array.from({ length: steps + 1 }, (_, i) =>
    Math.exp(-2 * (horizon - ((horizon - delta) * i) / steps)),
  );
  return customGrid(levels);
}

/** Levels uniform in log-SNR between the same end points: DPM-Solver's design grid. */
function logSnrGrid(steps: number, delta = 0.01, horizon = 4): Grid {
  const logSnr = (a: number) => Math.log(a / (1 - a));
  const [low, high] = [logSnr(Math.exp(-2 * horizon)), logSnr(Math.exp(-2 * delta))];
  const levels = Array.from(
    { length: steps + 1 },
    (_, i) => 1 / (1 + Math.exp(-(low + ((high - low) * i) / steps))),
  );
  return customGrid(levels);
}

/** The exact probability-flow map from level a to a', applied to rows of x. */
function exactFlow(x: Float32Array, a: number, aNext: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    const c = a * variance[j]! + 1 - a;
    const cNext = aNext * variance[j]! + 1 - aNext;
    out[i] = Math.sqrt(aNext) * mean[j]! + Math.sqrt(cNext / c) * (x[i]! - Math.sqrt(a) * mean[j]!);
  }
  return out;
}

/** RMS error of a deterministic sampler against the exact flow, for the same initial noise. */
async function flowError(sampler: Sampler, steps: number, family: (steps: number) => Grid): Promise<number> {
  const grid = family(steps);
  const initial = createRng(1).normal([200, d]);
  const result = await sampler.sample({ model, n: 200, grid, rng: createRng(2), initial });
  const exact = exactFlow((await initial.data()) as Float32Array, grid.levels[0]!, grid.levels.at(-1)!);
  const got = await result.x.data();
  let sum = 0;
  for (let i = 0; i < got.length; i++) sum += (got[i]! - exact[i]!) ** 2;
  tf.dispose([initial, result.x]);
  return Math.sqrt(sum / got.length);
}

describe('convergence order on a Gaussian target (K = 16, 32, 64, 128, same initial noise)', () => {
  // The order is estimated from the last doubling, log2(error(64) / error(128)), the estimate closest to the
  // asymptotic regime; the band is the theoretical order ± 0.4. Measured here: pf-ode 1.06, ddim 0.97, accel-det
  // 1.79 (its ratios 2.3, 3.0, 3.5 approach 4 from below: an O(h³) term is still visible at K = 64), dpmpp-2m 1.99.
  // Errors must also fall monotonically. They are float32 results against a float64 reference; at K = 128 the
  // smallest error (≈ 1e−4) is still far above float32 rounding of O(1) values over 128 steps (≈ 1e−6).
  // Grids: each sampler on a smooth family it is designed for: OU-uniform time for the Euler-type and accelerated
  // samplers, log-SNR uniform for DPM-Solver++ (whose steps are in log-SNR).
  const K = [16, 32, 64, 128];
  test.each([
    ['pf-ode', 1, pfOde, ouGrid],
    ['ddim', 1, ddim, ouGrid],
    ['accel-det', 2, accelDet, ouGrid],
    ['dpmpp-2m', 2, dpmSolverPP2M, logSnrGrid],
  ] as const)('%s has order %d', async (_name, order, sampler, family) => {
    const errors: number[] = [];
    for (const steps of K) errors.push(await flowError(sampler as Sampler, steps, family));
    const message = `errors ${errors.map((e) => e.toExponential(2)).join(', ')}`;
    for (let i = 1; i < errors.length; i++) expect(errors[i], message).toBeLessThan(errors[i - 1]!);
    const estimate = Math.log2(errors[2]! / errors[3]!);
    expect(estimate, message).toBeGreaterThan(order - 0.4);
    expect(estimate, message).toBeLessThan(order + 0.4);
  });
});

describe('stochastic samplers: mean and covariance converge to the truth as NFE grows', () => {
  const n = 4000;
  /** Worst standardised moment error: |mean − μ_a| / sd and |var − c| / c per coordinate. */
  async function momentError(
    sampler: Sampler,
    nfe: number,
    options: Record<string, unknown> = {},
  ): Promise<number> {
    const grid = ouGrid(nfe);
    const result = await sampler.sample({ model, n, grid, rng: createRng(7), ...options });
    const { mean: m, covariance } = sampleMoments(await result.x.data(), d);
    result.x.dispose();
    const a = grid.levels.at(-1)!;
    let worst = 0;
    for (let j = 0; j < d; j++) {
      const c = a * variance[j]! + 1 - a;
      worst = Math.max(
        worst,
        Math.abs(m[j]! - Math.sqrt(a) * mean[j]!) / Math.sqrt(c),
        Math.abs(covariance[j]![j]! / c - 1),
      );
    }
    return worst;
  }

  // Sampling error of these standardised moments with n = 4000: sd(mean)/σ = 1/√n ≈ 0.016, sd(var)/σ² = √(2/n) ≈
  // 0.022; 4 sd ≈ 0.09 is the floor below which differences are noise.
  test.each([
    ['ddpm', ddpm, {}],
    ['ddpm (posterior variance)', ddpm, { variance: 'posterior' }],
    ['accel-stoch', accelStoch, {}],
    ['ddim η = 1', ddim, { eta: 1 }],
  ] as const)('%s', async (_name, sampler, options) => {
    const coarse = await momentError(sampler as Sampler, 8, options);
    const fine = await momentError(sampler as Sampler, 400, options);
    expect(fine).toBeLessThan(0.09);
    expect(fine).toBeLessThan(coarse);
  });
});

describe('validation', () => {
  test('a budget below the minimum, a grid over budget, and a dimension mismatch are clear errors', async () => {
    await expect(accelDet.sample({ model, n: 4, nfe: 0, rng: createRng(1) })).rejects.toThrow(
      /positive integer/,
    );
    await expect(ddpm.sample({ model, n: 4, nfe: 3, grid: ouGrid(10), rng: createRng(1) })).rejects.toThrow(
      /cost 10 evaluations, more than the budget nfe = 3/,
    );
    const initial = tf.zeros([4, 2]) as Tensor2D;
    await expect(ddpm.sample({ model, n: 4, nfe: 10, rng: createRng(1), initial })).rejects.toThrow(
      /3 columns/,
    );
    initial.dispose();
    await expect(ddpm.sample({ model, n: 0, nfe: 10, rng: createRng(1) })).rejects.toThrow(
      /n must be a positive integer/,
    );
  });
});
