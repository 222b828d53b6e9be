/**
 * Score-only MALA is close to MALA when the target is smooth. On a 2-D mixture of broad components (variance 1,
 * means about 2 apart), from the same states and with the same draws, the two kernels propose the same point and
 * differ only in their acceptance probabilities: α (exact log π difference) and α̂ (line integral).
 * - Consistency: the decisions differ exactly when the shared uniform falls between α and α̂, so the number of
 *   disagreements has mean Σ|α − α̂| and variance Σ|α − α̂|(1 − |α − α̂|): checked within 5 standard deviations.
 * - Closeness: |α − α̂| ≤ |quadrature error|, which is O(‖x′ − x‖³) = O(τ^{3/2}) for the trapezoid rule and
 *   O(‖x′ − x‖⁵) = O(τ^{5/2}) for Simpson's; halving τ must shrink the mean |α − α̂| at these orders, within a
 *   tolerance derived from the chains (see the test), and each rule's order must be told apart from the other's.
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

/**
 * Runs MALA for `steps` steps and, at every step, score-only MALA from the same state with the same rng. Returns
 * the decision disagreements, their expected count and variance, and the mean gap |α − α̂| with its relative
 * standard error (from the chains' own mean gaps: the chains are independent, their steps are not).
 */
function compare(n: number, stepSize: number, rule: LineIntegralRule) {
  const x0 = target.sample(n, createRng(1));
  const [exact, scoreOnly] = [mala({ stepSize }), malaScoreOnly({ stepSize, rule })];
  let state = exact.init(x0, target, createRng(0)).state;
  let disagreements = 0;
  let variance = 0;
  const perChain = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    const rng = createRng(2).fork(k);
    const a = exact.step(state, target, rng);
    const b = scoreOnly.step(state, target, rng); // reads only state.x and state.grad
    const gap = tf.tidy(() => tf.abs(tf.sub(a.info.acceptance, b.info.acceptance)).dataSync());
    disagreements += tf.tidy(() => tf.sum(tf.abs(tf.sub(a.info.accepted, b.info.accepted))).dataSync()[0]!);
    gap.forEach((g, i) => {
      perChain[i]! += g;
      variance += g * (1 - g);
    });
    scoreOnly.disposeState(b.state);
    disposeInfo(b.info);
    disposeInfo(a.info);
    exact.disposeState(state);
    state = a.state;
  }
  exact.disposeState(state);
  x0.dispose();
  const gapSum = perChain.reduce((sum, g) => sum + g, 0);
  const chainMean = gapSum / n;
  const chainVariance = perChain.reduce((sum, g) => sum + (g - chainMean) ** 2, 0) / (n - 1);
  return {
    disagreements,
    expected: gapSum,
    variance,
    meanGap: gapSum / (n * steps),
    relativeSe: Math.sqrt(chainVariance / n) / chainMean,
  };
}

/**
 * Bound on the float32 rounding in α − α̂ at one step: the log q terms are computed by the same code from the same
 * tensors in both kernels and cancel bit for bit; what remains is log π(x′) − log π(x) in MALA (two log-densities of
 * magnitude below 4 in this target's bulk) against the line integral, a few ulps of 4 (ulp(4) = 2^−21 ≈ 4.8e−7).
 */
const ROUNDING_FLOOR = 4 * 2 ** -21;

describe('score-only MALA against MALA on a smooth mixture', () => {
  test('decisions differ exactly as often as the acceptance probabilities do', () => {
    const { disagreements, expected, variance } = compare(3000, 0.3, 'trapezoid');
    expect(expected).toBeGreaterThan(100); // not vacuous: the probabilities do differ
    expect(Math.abs(disagreements - expected)).toBeLessThanOrEqual(5 * Math.sqrt(variance) + 1);
  });

  // Tolerance of the observed order s = log2(gap(τ)/gap(τ/2)) at τ = 0.15, from the sample: its standard error is
  // sqrt(se_τ² + se_τ/2²)/ln 2 with the relative standard errors of the two mean gaps (2000 independent chains each;
  // the two runs share their draws, which correlates them positively, so this overstates it); 5 of them. The
  // rounding floor (ROUNDING_FLOOR) adds to every gap and can only flatten the slope: it widens the lower side by
  // log2(1 + floor/gap(τ/2)), 0.002 for the trapezoid rule and about 0.2 for Simpson's (gaps 1.5e−3 and 1.2e−5).
  // Negative control: each band excludes the other rule's order, so a Simpson rule that lost its midpoint (order
  // 1.5) or a trapezoid rule that were exact to higher order would fail.
  test.each([
    ['trapezoid', 1.5, 2.5],
    ['simpson', 2.5, 1.5],
  ] as const)(
    'the gap |α − α̂| shrinks like τ^p with the %s rule’s order p = %d, not %d',
    (rule, order, other) => {
      const coarse = compare(2000, 0.15, rule);
      const fine = compare(2000, 0.075, rule);
      const slope = Math.log2(coarse.meanGap / fine.meanGap);
      const se = Math.hypot(coarse.relativeSe, fine.relativeSe) / Math.LN2;
      const floor = Math.log2(1 + ROUNDING_FLOOR / fine.meanGap);
      expect(slope).toBeGreaterThan(order - 5 * se - floor);
      expect(slope).toBeLessThan(order + 5 * se);
      expect(other < order ? other < order - 5 * se - floor : other > order + 5 * se).toBe(true);
    },
  );
});

test('score-only MALA (Simpson) started at the smooth mixture stays at it; ULA at the same step size does not', async () => {
  const options = { n: 3000, steps, rng: createRng(5) };
  const simpson = malaScoreOnly({ stepSize: 0.3, rule: 'simpson' });
  expect(await stationarityRatio(simpson, target, options)).toBeLessThan(1);
  expect(await stationarityRatio(ula({ stepSize: 0.3 }), target, options)).toBeGreaterThan(1);
});
