/**
 * The math of the deterministic and stochastic samplers on a Gaussian target, where everything is known in closed
 * form. Target: p_0 = N(μ, diag(v)) with d = 3, so p_a = N(√a μ, diag(a v + 1 − a)), and the probability-flow map from
 * level a to a' is affine and exact: x' = √a' μ + √(c(a')/c(a)) ⊙ (x − √a μ), c(a) = a v + 1 − a.
 */
import { customGrid, type Grid } from '@rtk-diffusion/schedules';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { cholesky, sampleMoments } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { accelDet } from './accel-det.js';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { dpmSolverPP2M } from './dpmpp-2m.js';
import { pfOde } from './pf-ode.js';
import { getSampler } from './registry.js';
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

describe('convergence order on a Gaussian target (same initial noise)', () => {
  // The order is the least-squares slope of log error against log K over four doublings K₀, 2K₀, 4K₀, 8K₀ in each
  // method's asymptotic range, where the next-order term no longer bends the curve:
  // - pf-ode and ddim (K₀ = 32): the error is C₁h + C₂h² + …, so the local order is 1 + O(h): measured pairwise
  //   orders from K = 16 are 1.18, 1.09, 1.05, 1.02 (pf-ode) and 0.83, 0.89, 0.94, 0.97 (ddim), the deviation halving
  //   with each doubling. Over 32…256 the slope is off by about that deviation at the window's centre (≈ 0.05–0.07);
  //   band ± 0.1. Measured slopes: pf-ode 1.05, ddim 0.93 (over 16…128 they would be 1.10 and 0.88).
  // - dpmpp-2m (K₀ = 16): pairwise orders 1.84, 1.96, 1.99 from K = 16, deviation shrinking ≈ 4× per doubling; slope
  //   1.93 over 16…128; band ± 0.2.
  // - accel-det (K₀ = 64): its pairwise orders over 16…128 are 1.20, 1.59, 1.79 (pre-asymptotic: at small K error terms
  //   of opposite sign cancel, and on a log-SNR grid its error even rises from K = 16 to 32), then 1.88, 1.90 up to
  //   K = 512; slope 1.86 over 64…512; band ± 0.2. K = 1024 is left out: there the smallest errors (≈ 2e−6) reach
  //   float32 rounding of O(1) values over 1000 steps, and the measured pairwise orders break down (1.5 for dpmpp-2m).
  // A first-order method fails the second-order band and vice versa, so each test can fail. Errors must also fall
  // monotonically. Grids: each sampler on a smooth family it is designed for: OU-uniform time for the Euler-type and
  // accelerated samplers, log-SNR uniform for DPM-Solver++ (whose steps are in log-SNR).
  test.each([
    ['pf-ode', 1, 32, 0.1, pfOde, ouGrid],
    ['ddim', 1, 32, 0.1, ddim, ouGrid],
    ['dpmpp-2m', 2, 16, 0.2, dpmSolverPP2M, logSnrGrid],
    ['accel-det', 2, 64, 0.2, accelDet, ouGrid],
  ] as const)(
    '%s has order %d (K from %d, band ± %d)',
    async (_name, order, first, band, sampler, family) => {
      const K = [first, 2 * first, 4 * first, 8 * first];
      const errors: number[] = [];
      for (const steps of K) errors.push(await flowError(sampler as Sampler, steps, family));
      const message = `errors ${errors.map((e) => e.toExponential(3)).join(', ')} at K = ${K.join(', ')}`;
      for (let i = 1; i < errors.length; i++) expect(errors[i], message).toBeLessThan(errors[i - 1]!);
      const estimate = -leastSquaresSlope(K.map(Math.log2), errors.map(Math.log2));
      expect(estimate, message).toBeGreaterThan(order - band);
      expect(estimate, message).toBeLessThan(order + band);
    },
  );
});

/** Slope of the least-squares line through (x, y). */
function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i]! - my);
    sxx += (v - mx) ** 2;
  });
  return sxy / sxx;
}

describe('stochastic samplers: mean and full covariance converge to the truth as NFE grows', () => {
  // A correlated 3-D Gaussian, p_a = N(√a μ, a Σ + (1 − a) I) at the run's last level a. Errors are measured in the
  // coordinates that whiten p_a (Σ_a = L Lᵀ, w = L⁻¹(x − √a μ)): the mean error ‖w̄‖ and the covariance error
  // ‖Cov(w) − I‖_F.
  const mu = [1.5, -1, 0.5];
  const sigma = [
    [0.25, 0.1, 0.05],
    [0.1, 2, -0.6],
    [0.05, -0.6, 1],
  ];
  const target = gaussianModel({ mean: mu, covariance: sigma });
  const n = 4000;
  // Sampling floors for exact samples: n‖w̄‖² ~ χ²₃, and n‖Cov(w) − I‖²_F ≈ 2 χ²₆ (3 diagonal entries of variance
  // 2/n, 3 distinct off-diagonal ones of variance 1/n, each counted twice). With 64 comparisons in this block we take
  // the 1 − 1e−4 quantiles (χ²₃: 21.11, χ²₆: 27.86; scipy.stats.chi2.ppf), so a family-wise false alarm stays below 1 %:
  // mean floor √(21.11/n) = 0.073, covariance floor √(2 · 27.86/n) = 0.118.
  const meanFloor = Math.sqrt(21.11 / n);
  const covarianceFloor = Math.sqrt((2 * 27.86) / n);
  const NFES = [10, 30, 100, 1000];

  async function momentErrors(
    sampler: Sampler,
    nfe: number,
    options: Record<string, unknown>,
  ): Promise<{ mean: number; covariance: number }> {
    const result = await sampler.sample({ model: target, n, nfe, rng: createRng(7), ...options });
    const a = result.trace.levels.at(-1)!;
    const lower = cholesky(sigma.map((row, i) => row.map((v, j) => a * v + (i === j ? 1 - a : 0))));
    const x = await result.x.data();
    result.x.dispose();
    const w = new Float64Array(x.length);
    for (let i = 0; i < n; i++) {
      const centred = mu.map((m, j) => x[i * 3 + j]! - Math.sqrt(a) * m);
      solveLower(lower, centred).forEach((v, j) => {
        w[i * 3 + j] = v;
      });
    }
    const moments = sampleMoments(w, 3);
    let covariance = 0;
    for (const [j, row] of moments.covariance.entries()) {
      for (const [k, v] of row.entries()) covariance += (v - (j === k ? 1 : 0)) ** 2;
    }
    return { mean: Math.hypot(...moments.mean), covariance: Math.sqrt(covariance) };
  }

  // The mean shows no trend: with exact scores on a Gaussian every step maps the mean error linearly and the only bias
  // is the start's (N(0, I) instead of mean √a_K μ, |√a_K μ| ≈ 0.03), so the mean must be right at every budget.
  // The covariance error must fall at every step of the NFE sequence until it reaches the floor, and end there.
  // Unadjusted inner kernels converge only as their step shrinks: with the default c, RTK-ULA's and RTK-ULD's
  // covariance error levels off at the kernel's bias (measured at NFE 1000, n = 8000: 0.10 and 0.18–0.21, above that
  // floor), so they run here with a smaller c: ULA's stationary variance on a Gaussian is inflated by
  // 1/(1 − τλ/2) ≤ 1/(1 − c/2), at most 2.6 % per direction at c = 0.05; ULD's bias is O(h²) with h = c/√κ, c = 0.125.
  test.each([
    ['ddpm', {}],
    ['ddpm', { variance: 'posterior' }],
    ['accel-stoch', {}],
    ['ddim', { eta: 1 }],
    ['rtk-mala', {}],
    ['rtk-mala-score', {}],
    ['rtk-ula', { stepSizeFactor: 0.05 }],
    ['rtk-uld', { stepSizeFactor: 0.125 }],
  ] as const)('%s %j', async (name, options) => {
    const sampler = getSampler(name) as unknown as Sampler;
    const errors: { mean: number; covariance: number }[] = [];
    for (const nfe of NFES) errors.push(await momentErrors(sampler, nfe, options));
    const message = errors
      .map((e, i) => `NFE ${NFES[i]}: ${e.mean.toFixed(3)} / ${e.covariance.toFixed(3)}`)
      .join(', ');
    for (const e of errors) expect(e.mean, message).toBeLessThan(meanFloor);
    // The coarsest budget is visibly biased, so the sequence has something to show (and the test can fail).
    expect(errors[0]!.covariance, message).toBeGreaterThan(covarianceFloor);
    for (let i = 1; i < errors.length; i++) {
      const [previous, current] = [errors[i - 1]!.covariance, errors[i]!.covariance];
      if (previous > covarianceFloor) expect(current, message).toBeLessThan(previous);
      else expect(current, message).toBeLessThan(covarianceFloor);
    }
    expect(errors.at(-1)!.covariance, message).toBeLessThan(covarianceFloor);
  });
});

/** Solves L y = v for a lower-triangular L. */
function solveLower(lower: readonly (readonly number[])[], v: readonly number[]): number[] {
  const y: number[] = [];
  v.forEach((value, i) => {
    let s = value;
    for (let k = 0; k < i; k++) s -= lower[i]![k]! * y[k]!;
    y.push(s / lower[i]![i]!);
  });
  return y;
}

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
