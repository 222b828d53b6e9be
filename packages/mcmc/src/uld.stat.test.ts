/**
 * ULD on Gaussian targets. For π = N(μ, Σ) with precision P the integrator is a linear recursion in z = (x − μ, v):
 *   z′ = M z + ζ,   M = [[I − gx P, vx I], [−gv P, vv I]],   Cov ζ = [[Var ζ_x I, Cov I], [Cov I, Var ζ_v I]],
 * so its exact stationary covariance C solves C = M C Mᵀ + Cov ζ (found here by iterating it in float64) and its mean
 * is μ. Two tests:
 * 1. at a large step (h = 0.3, bias visible) the sample covariance of (x, v) matches C, and not the target's
 *    covariance (negative control): this checks every coefficient of the integrator;
 * 2. with a small step (h = 0.05) the chains, started all at the origin, reach the target's mean and covariance.
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget, inverseSpd, sampleMoments } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { disposeInfo } from './tensors.js';
import { uld, uldCoefficients } from './uld.js';

const sigma = [
  [1, 0.8],
  [0.8, 1],
];
const mean = [1, -1];
const target = gaussianTarget({ mean, covariance: sigma });
const friction = 2;

type Matrix = number[][];
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));

/** Stationary covariance of (x, v) ∈ R⁴ under the integrator with step h (float64 fixed-point iteration). */
function stationaryCovariance(h: number): Matrix {
  const c = uldCoefficients(h, friction);
  const p = inverseSpd(sigma);
  const m: Matrix = [
    [1 - c.gx * p[0]![0]!, -c.gx * p[0]![1]!, c.vx, 0],
    [-c.gx * p[1]![0]!, 1 - c.gx * p[1]![1]!, 0, c.vx],
    [-c.gv * p[0]![0]!, -c.gv * p[0]![1]!, c.vv, 0],
    [-c.gv * p[1]![0]!, -c.gv * p[1]![1]!, 0, c.vv],
  ];
  const [sxx, sxv, svv] = [c.sx ** 2, c.sx * c.cv, c.cv ** 2 + c.sv ** 2];
  const q: Matrix = [
    [sxx, 0, sxv, 0],
    [0, sxx, 0, sxv],
    [sxv, 0, svv, 0],
    [0, sxv, 0, svv],
  ];
  let cov: Matrix = q;
  for (let it = 0; it < 20_000; it++) {
    cov = multiply(multiply(m, cov), transpose(m)).map((row, i) => row.map((v, j) => v + q[i]![j]!));
  }
  return cov;
}

/** Runs n chains for `steps` steps and returns the row-major [n, 4] array of (x, v). */
function simulate(x0: tf.Tensor2D, h: number, steps: number, seed: number): Float32Array {
  const kernel = uld({ stepSize: h, friction });
  let { state } = kernel.init(x0, target, createRng(seed).fork('init'));
  for (let k = 0; k < steps; k++) {
    const next = kernel.step(state, target, createRng(seed).fork(k));
    kernel.disposeState(state);
    disposeInfo(next.info);
    state = next.state;
  }
  const out = tf.tidy(() => tf.concat([state.x, state.v], 1).dataSync() as Float32Array);
  kernel.disposeState(state);
  return out;
}

/** Standard error of a sample covariance entry of a Gaussian with covariance c: sqrt((c_jk² + c_jj c_kk)/n). */
const standardError = (c: Matrix, j: number, k: number, n: number) =>
  Math.sqrt((c[j]![k]! ** 2 + c[j]![j]! * c[k]![k]!) / n);

describe('uld on a correlated Gaussian', () => {
  const n = 4000;

  test('at h = 0.3 the chains follow the integrator’s exact stationary law (and not the target’s)', () => {
    const h = 0.3;
    const expected = stationaryCovariance(h);
    // Start at exact samples of π; the slowest mode (precision eigenvalue 0.556, γ = 2) relaxes like
    // e^{−0.33 t}: after t = 150 · 0.3 = 45 the gap is below e^{−15}.
    const x0 = target.sample(n, createRng(1));
    const z = simulate(x0, h, 150, 2);
    const { mean: sampleMean, covariance } = sampleMoments(z, 4);
    for (let j = 0; j < 4; j++) {
      expect(Math.abs(sampleMean[j]! - (j < 2 ? mean[j]! : 0))).toBeLessThan(
        5 * Math.sqrt(expected[j]![j]! / n),
      );
      for (let k = 0; k < 4; k++) {
        expect(Math.abs(covariance[j]![k]! - expected[j]![k]!)).toBeLessThan(
          5 * standardError(expected, j, k, n),
        );
      }
    }
    // Negative control: along the stiff direction u = (1, −1)/√2 (precision eigenvalue 5) the variance of uᵀx is
    // 0.2 under π but visibly larger under the integrator at h = 0.3; the sample resolves the difference.
    const along = (c: Matrix) => (c[0]![0]! + c[1]![1]! - 2 * c[0]![1]!) / 2;
    const stiffSe = along(expected) * Math.sqrt(2 / n);
    expect(Math.abs(along(covariance) - along(expected))).toBeLessThan(5 * stiffSe);
    expect(Math.abs(along(covariance) - along(sigma))).toBeGreaterThan(5 * stiffSe);
    // The velocities are biased too (the doc comment of uld.ts): their exact discrete variance is 1.30, not 1, and
    // the sample resolves it (standard error of a variance: sqrt(2/n)·1.30 = 0.029).
    for (let j = 2; j < 4; j++) {
      expect(Math.abs(covariance[j]![j]! - 1)).toBeGreaterThan(5 * standardError(expected, j, j, n));
    }
    x0.dispose();
  });

  test('with a small step (h = 0.05) chains started at the origin reach the target’s mean and covariance', () => {
    const h = 0.05;
    // The discrete law's bias at h = 0.05 is below one standard error in every entry (asserted), so the target's
    // moments are the reference. 400 steps: t = 20, the mean's gap e^{−0.33·20}·‖μ‖ ≈ 0.002, well below 1 SE (0.016).
    const discrete = stationaryCovariance(h);
    for (let j = 0; j < 2; j++) {
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(discrete[j]![k]! - sigma[j]![k]!)).toBeLessThan(standardError(discrete, j, k, n));
      }
    }
    const x0 = tf.zeros([n, 2]) as tf.Tensor2D;
    const z = simulate(x0, h, 400, 3);
    const x = Float32Array.from({ length: 2 * n }, (_, i) => z[4 * Math.floor(i / 2) + (i % 2)]!);
    const { mean: sampleMean, covariance } = sampleMoments(x, 2);
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(sampleMean[j]! - mean[j]!)).toBeLessThan(5 * Math.sqrt(sigma[j]![j]! / n));
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(covariance[j]![k]! - sigma[j]![k]!)).toBeLessThan(5 * standardError(sigma, j, k, n));
      }
    }
    x0.dispose();
  });
});
