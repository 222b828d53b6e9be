import { fc, test } from '@fast-check/vitest';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { mala } from './mala.js';
import { lineIntegral, malaScoreOnly } from './mala-score-only.js';
import { disposeInfo } from './tensors.js';
import type { Target } from './types.js';

/** log π(x) = −Σ_j (x_j⁴/4 + x_j²/2): a quartic, so ⟨Δ, ∇log π(x + tΔ)⟩ is a cubic in t. */
const quartic: Target = {
  grad: (x) => tf.tidy(() => tf.neg(tf.add(tf.pow(x, 3), x))),
  logDensity: (x) =>
    tf.tidy(() => tf.neg(tf.sum(tf.add(tf.div(tf.pow(x, 4), 4), tf.div(tf.square(x), 2)), 1))),
};

const point = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 });

/** Line integral from x to y by the rule, and the exact log π(y) − log π(x), in float32. */
function integrate(
  target: Target,
  x: number[],
  y: number[],
  rule: 'trapezoid' | 'simpson',
): [number, number] {
  return tf.tidy(() => {
    const [a, b] = [tf.tensor2d([x]), tf.tensor2d([y])];
    const mid = rule === 'simpson' ? target.grad(tf.mul(tf.add(a, b), 0.5) as tf.Tensor2D) : undefined;
    const estimate = lineIntegral(a, target.grad(a), b, target.grad(b), mid).dataSync()[0]!;
    const exact = tf.sub(target.logDensity!(b), target.logDensity!(a)).dataSync()[0]!;
    return [estimate, exact];
  });
}

/** Float32 tolerance: 64 ulps of the magnitudes involved (log-densities and ‖y − x‖ · max‖g‖ along the segment). */
function tolerance(target: Target, x: number[], y: number[]): number {
  return tf.tidy(() => {
    const both = tf.tensor2d([x, y]);
    const scale =
      tf.sum(tf.abs(target.logDensity!(both))).dataSync()[0]! +
      Math.hypot(...x.map((v, j) => v - y[j]!)) * tf.max(tf.norm(target.grad(both), 2, 1)).dataSync()[0]!;
    return 64 * 2 ** -23 * scale + 1e-6;
  });
}

describe('lineIntegral', () => {
  const gaussian = gaussianTarget({
    mean: [0.5, -1, 2],
    covariance: [
      [2, 0.3, 0],
      [0.3, 1, -0.2],
      [0, -0.2, 0.5],
    ],
  });

  test.prop([point, point], { seed: 1, numRuns: 50 })(
    'the trapezoid rule is exact for a quadratic log π',
    (x, y) => {
      const [estimate, exact] = integrate(gaussian, x, y, 'trapezoid');
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(tolerance(gaussian, x, y));
    },
  );

  test.prop([point, point], { seed: 2, numRuns: 50 })(
    'the Simpson rule is exact for a quartic log π',
    (x, y) => {
      const [estimate, exact] = integrate(quartic, x, y, 'simpson');
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(tolerance(quartic, x, y));
    },
  );

  test('negative control: the trapezoid rule is not exact for the quartic', () => {
    const [estimate, exact] = integrate(quartic, [0, 0, 0], [1.5, -1, 2], 'trapezoid');
    expect(Math.abs(estimate - exact)).toBeGreaterThan(1);
  });
});

describe('malaScoreOnly', () => {
  const gaussian = gaussianTarget({
    mean: [1, -1],
    covariance: [
      [1, 0.8],
      [0.8, 1],
    ],
  });

  test('on a Gaussian (quadratic log π) it makes the same decisions as MALA with the same draws', () => {
    const x = gaussian.sample(200, createRng(1));
    const [exact, scoreOnly] = [mala({ stepSize: 0.3 }), malaScoreOnly({ stepSize: 0.3 })];
    const a = exact.init(x, gaussian, createRng(0)).state;
    const b = scoreOnly.init(x, gaussian, createRng(0)).state;
    const stepA = exact.step(a, gaussian, createRng(2));
    const stepB = scoreOnly.step(b, gaussian, createRng(2));
    const gap = tf.tidy(
      () => tf.max(tf.abs(tf.sub(stepA.info.acceptance, stepB.info.acceptance))).dataSync()[0]!,
    );
    expect(gap).toBeLessThan(1e-4);
    expect(stepB.info.accepted.arraySync()).toEqual(stepA.info.accepted.arraySync());
    expect(stepB.info.meanAcceptance).toBeGreaterThan(0.3); // not vacuous: many proposals are accepted …
    expect(stepB.info.meanAcceptance).toBeLessThan(0.95); // … and many are not
    for (const s of [a, stepA.state]) exact.disposeState(s);
    for (const s of [b, stepB.state]) scoreOnly.disposeState(s);
    disposeInfo(stepA.info);
    disposeInfo(stepB.info);
    x.dispose();
  });

  test('works without logDensity; Simpson counts the midpoint gradient', () => {
    let calls = 0;
    const gradOnly: Target = {
      grad: (x) => {
        calls++;
        return gaussian.grad(x);
      },
    };
    const kernel = malaScoreOnly({ stepSize: 0.2, rule: 'simpson' });
    expect(kernel.evaluationsPerStep).toEqual({ grad: 2, logDensity: 0 });
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const { state } = kernel.init(x, gradOnly, createRng(0));
    const { state: next, info } = kernel.step(state, gradOnly, createRng(1));
    expect(calls).toBe(3);
    expect(info.evaluations).toEqual({ grad: 2, logDensity: 0 });
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
    x.dispose();
  });

  test('validation: rule and step size', () => {
    expect(() => malaScoreOnly({ stepSize: 0.1, rule: 'midpoint' as 'simpson' })).toThrow(
      /trapezoid.*simpson/,
    );
    try {
      malaScoreOnly({ stepSize: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
    }
  });
});
