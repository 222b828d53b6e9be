/**
 * Score-only MALA is close to MALA when the target is smooth. On a 2-D mixture of broad components (variance 1,
 * means about 2 apart), from the same states and with the same draws, the two kernels propose the same point and
 * differ only in their acceptance probabilities: α (exact log π difference) and α̂ (line integral).
 * - Consistency: the decisions differ exactly when the shared uniform falls between α and α̂, so the number of
 *   disagreements has mean Σ|α − α̂| and variance Σ|α − α̂|(1 − |α − α̂|): checked within 5 standard deviations.
 * - Closeness: |α − α̂| ≤ |quadrature error|, which is O(‖x′ − x‖³) = O(τ^{3/2}) for the trapezoid rule and
 *   O(‖x′ − x‖⁵) = O(τ^{5/2}) for Simpson's; halving τ must shrink the mean |α − α̂| at these orders (within 0.25).
 *   Measured here: 0.012 (trapezoid) and 0.0003 (Simpson) at τ = 0.3; orders 1.46–1.50 and 2.3–2.4.
 * - Stationarity: with Simpson's rule, chains started at exact samples pass MALA's stationarity test (two-sample KS on
 *   4 projections at level 1e−3, as in mala.stat.test.ts) at τ = 0.3, where ULA fails it. (The trapezoid rule's bias
 *   at τ = 0.3 is visible with 20 000 chains: the lighter mode's weight drifts from 0.30 to about 0.32 in 25 steps.)
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { mala } from './mala.js';
import { type LineIntegralRule, malaScoreOnly } from './mala-score-only.js';
import { disposeInfo } from './tensors.js';
import { stationarityRatio } from './test-support/stationarity.js';
import { ula } from './ula.js';

const target = isotropicMixtureTarget({
  weights: [0.3, 0.7],
  means: [
    [-1, 0],
    [1, 0.5],
  ],
  variance: 1,
});
const steps = 25;

/** Runs MALA for `steps` steps and, at every step, score-only MALA from the same state with the same rng. */
function compare(n: number, stepSize: number, rule: LineIntegralRule) {
  const x0 = target.sample(n, createRng(1));
  const [exact, scoreOnly] = [mala({ stepSize }), malaScoreOnly({ stepSize, rule })];
  let state = exact.init(x0, target, createRng(0)).state;
  let disagreements = 0;
  let gapSum = 0;
  let variance = 0;
  for (let k = 0; k < steps; k++) {
    const rng = createRng(2).fork(k);
    const a = exact.step(state, target, rng);
    const b = scoreOnly.step(state, target, rng); // reads only state.x and state.grad
    const gap = tf.tidy(() => tf.abs(tf.sub(a.info.acceptance, b.info.acceptance)).dataSync());
    disagreements += tf.tidy(() => tf.sum(tf.abs(tf.sub(a.info.accepted, b.info.accepted))).dataSync()[0]!);
    for (const g of gap) {
      gapSum += g;
      variance += g * (1 - g);
    }
    scoreOnly.disposeState(b.state);
    disposeInfo(b.info);
    disposeInfo(a.info);
    exact.disposeState(state);
    state = a.state;
  }
  exact.disposeState(state);
  x0.dispose();
  return { disagreements, expected: gapSum, variance, meanGap: gapSum / (n * steps) };
}

describe('score-only MALA against MALA on a smooth mixture', () => {
  test('decisions differ exactly as often as the acceptance probabilities do', () => {
    const { disagreements, expected, variance } = compare(3000, 0.3, 'trapezoid');
    expect(expected).toBeGreaterThan(100); // not vacuous: the probabilities do differ
    expect(Math.abs(disagreements - expected)).toBeLessThanOrEqual(5 * Math.sqrt(variance) + 1);
  });

  test.each([
    ['trapezoid', 1.5],
    ['simpson', 2.5],
  ] as const)('the gap |α − α̂| shrinks like τ^p with the %s rule’s order p = %d', (rule, order) => {
    const coarse = compare(2000, 0.15, rule).meanGap;
    const fine = compare(2000, 0.075, rule).meanGap;
    expect(Math.abs(Math.log2(coarse / fine) - order)).toBeLessThan(0.25);
  });
});

test('score-only MALA (Simpson) started at the smooth mixture stays at it; ULA at the same step size does not', async () => {
  const options = { n: 3000, steps, rng: createRng(5) };
  const simpson = malaScoreOnly({ stepSize: 0.3, rule: 'simpson' });
  expect(await stationarityRatio(simpson, target, options)).toBeLessThan(1);
  expect(await stationarityRatio(ula({ stepSize: 0.3 }), target, options)).toBeGreaterThan(1);
});
