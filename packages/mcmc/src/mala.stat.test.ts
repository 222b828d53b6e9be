/**
 * MALA's exactness (ALGORITHMS.md §4 invariants):
 * 1. detailed balance of its acceptance, for random mixtures, points and step sizes (property test), with the sign
 *    error of the authors' code as a negative control;
 * 2. stationarity: chains started at exact samples stay distributed as the target (two-sample KS tests on four
 *    projections), on a 2-D unequal-weight mixture and a correlated Gaussian; ULA (acceptance removed) and MALA with
 *    three wrong acceptances (proposal densities swapped, log q with 1/(2τ), log q difference halved) fail them.
 */
import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget, isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { langevinLogProposal, langevinProposal } from './langevin.js';
import { type MalaState, mala, malaLogRatio } from './mala.js';
import { logAcceptance, metropolisDecision } from './metropolis.js';
import { checkPosition, gradAt, logDensityAt } from './target.js';
import { disposeTensors, nonFiniteRows, readScalars, selectRows, tidy } from './tensors.js';
import { stationarityRatio } from './test-support/stationarity.js';
import type { Kernel, MetropolisInfo } from './types.js';
import { ula } from './ula.js';

const EPSILON_32 = 2 ** -23;

/** A random isotropic mixture in d = 1…3 dimensions with 1…3 components, points x, x′ = x + δ and a step size τ. */
const instance = fc
  .record({ d: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 3 }) })
  .chain(({ d, k }) =>
    fc.record({
      weights: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: k, maxLength: k }),
      means: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), {
        minLength: k,
        maxLength: k,
      }),
      variance: fc.double({ min: 0.1, max: 2, noNaN: true }),
      x: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: d, maxLength: d }),
      // x′ = x + δ with every |δ_j| ∈ [0.05, 3], so x′ ≠ x (x′ = x would balance trivially).
      delta: fc.array(
        fc
          .tuple(fc.double({ min: 0.05, max: 3, noNaN: true }), fc.boolean())
          .map(([size, negative]) => (negative ? -size : size)),
        { minLength: d, maxLength: d },
      ),
      tau: fc.double({ min: 0.01, max: 2, noNaN: true }),
    }),
  );
type Instance = typeof instance extends fc.Arbitrary<infer T> ? T : never;

/** Float64 reference: log π of the mixture and its gradient at a point. */
function mixture64(spec: Instance, point: number[]): { logDensity: number; grad: number[] } {
  const total = spec.weights.reduce((s, w) => s + w, 0);
  const d = point.length;
  const logits = spec.means.map(
    (mu, i) =>
      Math.log(spec.weights[i]! / total) -
      0.5 * d * Math.log(2 * Math.PI * spec.variance) -
      mu.reduce((s, m, j) => s + (point[j]! - m) ** 2, 0) / (2 * spec.variance),
  );
  const top = Math.max(...logits);
  const logDensity = top + Math.log(logits.reduce((s, l) => s + Math.exp(l - top), 0));
  const grad = point.map(
    (p, j) =>
      spec.means.reduce((s, mu, i) => s + Math.exp(logits[i]! - logDensity) * (mu[j]! - p), 0) /
      spec.variance,
  );
  return { logDensity, grad };
}

/** Float64 reference: log q(to | from) of the Langevin proposal. */
function logQ64(to: number[], from: number[], gradFrom: number[], tau: number): number {
  return -to.reduce((s, t, j) => s + (t - from[j]! - tau * gradFrom[j]!) ** 2, 0) / (4 * tau);
}

/**
 * The kernel's log α(x → y) and log α(y → x), in float32, from its own pieces; `wrong` swaps the proposal densities
 * (the sign error of the authors' code).
 */
function kernelLogAcceptance(spec: Instance, x: number[], y: number[], wrong = false): [number, number] {
  const target = isotropicMixtureTarget(spec);
  return tf.tidy(() => {
    const points = [x, y].map((p) => tf.tensor2d([p]));
    const at = points.map((p) => ({ x: p, grad: target.grad(p), logDensity: target.logDensity(p) }));
    const tau = tf.scalar(spec.tau);
    const ratio = (from: (typeof at)[0], to: (typeof at)[0]) =>
      wrong
        ? tf.add(
            tf.sub(to.logDensity, from.logDensity),
            tf.sub(
              langevinLogProposal(to.x, from.x, from.grad, tau),
              langevinLogProposal(from.x, to.x, to.grad, tau),
            ),
          )
        : malaLogRatio(from, to, tau);
    const forward = logAcceptance(ratio(at[0]!, at[1]!) as tf.Tensor1D).dataSync()[0]!;
    const backward = logAcceptance(ratio(at[1]!, at[0]!) as tf.Tensor1D).dataSync()[0]!;
    return [forward, backward];
  });
}

/** Both sides of log π(x) + log q(y|x) + log α(x, y) = log π(y) + log q(x|y) + log α(y, x), and the tolerance. */
function balance(spec: Instance, wrong = false): { left: number; right: number; tolerance: number } {
  const x = spec.x.map(Math.fround);
  const y = spec.x.map((v, j) => Math.fround(v + spec.delta[j]!));
  const tau = Math.fround(spec.tau);
  const [px, py] = [mixture64(spec, x), mixture64(spec, y)];
  const [qyx, qxy] = [logQ64(y, x, px.grad, tau), logQ64(x, y, py.grad, tau)];
  const [alphaXY, alphaYX] = kernelLogAcceptance(spec, x, y, wrong);
  // Float32 tolerance scaled to the magnitudes the kernel rounds: the log-densities, the proposal log-densities and
  // the products ‖y − x‖·‖g‖ and τ‖g‖² inside them, each to within a few ulps; 64 ulps of their sum.
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
  const distance = norm(x.map((v, j) => v - y[j]!));
  const magnitude =
    Math.abs(px.logDensity) +
    Math.abs(py.logDensity) +
    Math.abs(qyx) +
    Math.abs(qxy) +
    distance * (norm(px.grad) + norm(py.grad)) +
    tau * (norm(px.grad) ** 2 + norm(py.grad) ** 2);
  return {
    left: px.logDensity + qyx + alphaXY,
    right: py.logDensity + qxy + alphaYX,
    tolerance: 64 * EPSILON_32 * magnitude + 1e-9,
  };
}

describe('detailed balance', () => {
  test.prop([instance], { numRuns: 200, seed: 20240521 })(
    'log π(x) + log q(x′|x) + log α(x, x′) = log π(x′) + log q(x|x′) + log α(x′, x)',
    (spec) => {
      const { left, right, tolerance } = balance(spec);
      expect(Math.abs(left - right)).toBeLessThanOrEqual(tolerance);
    },
  );

  test('negative control: with the proposal densities swapped, detailed balance fails', () => {
    const cases = fc.sample(instance, { numRuns: 50, seed: 7 });
    const failures = cases.filter((spec) => {
      const { left, right, tolerance } = balance(spec, true);
      return Math.abs(left - right) > tolerance;
    });
    // left − right = 2 (log q(x′|x) − log q(x|x′)) for the swapped ratio: non-zero but for a measure-zero set.
    expect(failures.length).toBeGreaterThanOrEqual(48);
  });
});

/**
 * MALA with a wrong acceptance, for the negative controls: the log ratio
 *   log π(x') − log π(x) + w · (log q(x|x') − log q(x'|x))
 * with w = 1 being MALA. w = −1 swaps the proposal densities (the sign error of the authors' code); w = 2 is log q
 * written with 1/(2τ) instead of 1/(4τ); w = 1/2 halves the log q difference.
 */
function wrongMala(stepSize: number, weight: number): Kernel<MalaState, MetropolisInfo> {
  const base = mala({ stepSize });
  return {
    ...base,
    name: `mala-wrong-${weight}`,
    step(state, target, rng) {
      const [n, d] = state.x.shape;
      return tidy(() => {
        const tau = tf.scalar(stepSize);
        checkPosition('mala-wrong', state.x, target);
        const x = langevinProposal(state.x, state.grad, tau, rng.fork('proposal').normal([n, d]));
        const to = { x, grad: gradAt(target, x), logDensity: logDensityAt(target, x) };
        const proposalTerm = tf.sub(
          langevinLogProposal(state.x, x, to.grad, tau),
          langevinLogProposal(x, state.x, state.grad, tau),
        );
        const logRatio = tf.add(
          tf.sub(to.logDensity, state.logDensity),
          tf.mul(proposalTerm, weight),
        ) as tf.Tensor1D;
        const { acceptance, accepted } = metropolisDecision(logRatio, rng.fork('accept').uniform([n]));
        const next = {
          x: selectRows(accepted, to.x, state.x),
          grad: selectRows(accepted, to.grad, state.grad),
          logDensity: selectRows(accepted, to.logDensity, state.logDensity),
        };
        const [meanAcceptance, divergences] = readScalars([tf.mean(acceptance), nonFiniteRows(next.x)]);
        return {
          state: next,
          info: {
            evaluations: base.evaluationsPerStep,
            divergences: divergences!,
            acceptance,
            accepted,
            meanAcceptance: meanAcceptance!,
          },
        };
      });
    },
    disposeState: disposeTensors,
  };
}

describe('stationarity', () => {
  // Level: if MALA leaves π invariant, the chains after any number of steps are n independent exact samples, so the
  // largest of the 4 KS statistics exceeds its critical value (level 2.5e−4 each, 1e−3 in all) with probability
  // below 1e−3 (test-support/stationarity.ts). For n = m = 10 000 that critical value is 2.12·sqrt(2/n) = 0.030.
  // Power: a wrong acceptance has its own stationary law, at some KS distance D* from π along a projection; at that
  // point the statistic is about normal around D* with a spread of sqrt(F(1 − F)·2/n) ≤ 0.007. The weakest control,
  // w = 1/2, has D* ≈ 0.05 on the Gaussian and 0.075 on the mixture (ratios 2.0–2.3 and 2.9–3.4 with 16 000 chains,
  // four seeds), so n = 10 000 puts the critical value about 3 spreads below D* (power > 99 %), where 3 000 chains
  // (critical value 0.055) could not see it (ratios 0.97 and 1.05 at this seed).
  // Steps: 50 bring the slowest Gaussian direction to within (1 − τλ_min)^50 = 0.89^50 = 0.3 % of the mutant's
  // stationary law; the mixture's controls fail as clearly at 50 as at 100 steps.
  const n = 10_000;
  const steps = 50;
  const cases = [
    {
      name: 'a 2-D mixture with unequal weights',
      target: isotropicMixtureTarget({
        weights: [0.25, 0.75],
        means: [
          [-1.5, 0],
          [1, 1],
        ],
        variance: 0.5,
      }),
      // Components' precision 2: τ = 0.5 gives τλ = 1, where ULA doubles each component's variance.
      stepSize: 0.5,
    },
    {
      name: 'a correlated Gaussian',
      target: gaussianTarget({
        mean: [0.5, -0.5],
        covariance: [
          [1, 0.8],
          [0.8, 1],
        ],
      }),
      // Precision eigenvalues 5 and 0.556: τ = 0.2 gives τλ_max = 1, where ULA doubles the variance along (1, −1).
      stepSize: 0.2,
    },
  ];
  for (const { name, target, stepSize } of cases) {
    test(`MALA started at ${name} stays at it; ULA and wrong acceptances do not`, async () => {
      const options = { n, steps, rng: createRng(99) };
      expect(await stationarityRatio(mala({ stepSize }), target, options)).toBeLessThan(1);
      expect(await stationarityRatio(ula({ stepSize }), target, options)).toBeGreaterThan(1);
      for (const weight of [-1, 2, 0.5]) {
        expect(await stationarityRatio(wrongMala(stepSize, weight), target, options)).toBeGreaterThan(1);
      }
    });
  }
});
