import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, it } from 'vitest';
import { createAdam, createWeightAverage, LR_FLOOR, learningRateFactor } from './optimizer.js';

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

/**
 * Textbook Adam in float64 (Kingma & Ba 2015, Algorithm 1) with global-norm clipping and a rate factor per step:
 * m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − η_t m̂ / (sqrt(v̂) + ε̂). The implementation folds the bias correction into
 * the step size (their §2 "efficient version"), which is this with ε̂ = ε / sqrt(1 − β₂ᵗ).
 */
function referenceAdam(
  theta: number[],
  gradients: number[][],
  rate: number,
  clip: number,
  factor: (t: number) => number = () => 1,
): number[] {
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const x = [...theta];
  gradients.forEach((g, index) => {
    const t = index + 1;
    const norm = Math.sqrt(g.reduce((s, gi) => s + gi * gi, 0));
    const c = clip > 0 ? Math.min(1, clip / (norm + 1e-12)) : 1;
    for (let i = 0; i < x.length; i++) {
      const gi = g[i]! * c;
      m[i] = B1 * m[i]! + (1 - B1) * gi;
      v[i] = B2 * v[i]! + (1 - B2) * gi * gi;
      const mHat = m[i]! / (1 - B1 ** t);
      const vHat = v[i]! / (1 - B2 ** t);
      x[i] = x[i]! - (rate * factor(t) * mHat) / (Math.sqrt(vHat) + EPS / Math.sqrt(1 - B2 ** t));
    }
  });
  return x;
}

/** Runs createAdam on two variables (sizes 2 and 1) with these gradients; returns the final values and norms. */
function runAdam(
  theta: number[],
  gradients: number[][],
  options: { learningRate: number; clipNorm: number; warmupSteps?: number; decaySteps?: number },
): { values: number[]; norms: number[] } {
  const variables = [tf.variable(tf.tensor1d(theta.slice(0, 2))), tf.variable(tf.tensor1d(theta.slice(2)))];
  const adam = createAdam(variables, options);
  const norms = gradients.map((g) => {
    const grads = [tf.tensor1d(g.slice(0, 2)), tf.tensor1d(g.slice(2))];
    const norm = adam.apply(grads);
    const value = norm.dataSync()[0]!;
    tf.dispose([...grads, norm]);
    return value;
  });
  const values = variables.flatMap((v) => Array.from(v.dataSync()));
  adam.dispose();
  tf.dispose(variables);
  return { values, norms };
}

const vector = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 });

describe('createAdam', () => {
  test.prop([vector, fc.array(vector, { minLength: 1, maxLength: 12 }), fc.constantFrom(0, 0.5, 5)], {
    numRuns: 40,
  })(
    'matches textbook Adam with global-norm clipping (float64 reference), and returns the pre-clip norm',
    (theta, gradients, clip) => {
      const rate = 0.01;
      const { values, norms } = runAdam(theta, gradients, { learningRate: rate, clipNorm: clip });
      const expected = referenceAdam(theta, gradients, rate, clip);
      // float32 state: each step is within ~1e-6 relative of the reference step (|step| ≤ rate·sqrt((1-β2^t))/(1-β1^t)…),
      // so after ≤ 12 steps of size ≤ ~0.03 the difference stays below 1e-5.
      for (const [i, v] of values.entries()) expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5);
      norms.forEach((n, k) => {
        const exact = Math.sqrt(gradients[k]!.reduce((s, g) => s + g * g, 0));
        expect(Math.abs(n - exact)).toBeLessThan(1e-5 * (1 + exact));
      });
    },
  );

  it('bias correction: the first step moves every coordinate by η · sign(g), whatever the gradient scale', () => {
    for (const scale of [1e-2, 1, 1e4]) {
      const g = [scale, -2 * scale, 0.5 * scale];
      const { values } = runAdam([0, 0, 0], [g], { learningRate: 0.01, clipNorm: 0 });
      // |Δθ| = η |g| / (|g| + ε̂) with ε̂ = 1e-8 / sqrt(1e-3) ≈ 3.2e-7: within 3.2e-7 / 5e-3 ≈ 6e-5 of η for the
      // smallest |g| here (float32 adds ~1e-7).
      for (const [i, v] of values.entries())
        expect(Math.abs(v / (-0.01 * Math.sign(g[i]!)) - 1)).toBeLessThan(2e-4);
    }
    // Without the correction the first step would be η · 0.1 · g / (sqrt(0.001) |g|) ≈ 3.2 η: the control.
    expect((0.1 / Math.sqrt(0.001)) * 0.01).toBeGreaterThan(0.03);
  });

  it('clipping: a gradient of norm 10 with c = 1 makes the same step as the same direction at norm 1', () => {
    const direction = [0.6, 0, 0.8];
    const big = runAdam([1, 2, 3], [direction.map((d) => 10 * d), direction], {
      learningRate: 0.1,
      clipNorm: 1,
    });
    const unit = runAdam([1, 2, 3], [direction, direction], { learningRate: 0.1, clipNorm: 1 });
    for (const [i, v] of big.values.entries()) expect(v).toBeCloseTo(unit.values[i]!, 6);
    expect(big.norms[0]).toBeCloseTo(10, 5);
    // Without clipping the two differ in the second step (v carries the first gradient's scale).
    const unclipped = runAdam([1, 2, 3], [direction.map((d) => 10 * d), direction], {
      learningRate: 0.1,
      clipNorm: 0,
    });
    expect(Math.abs(unclipped.values[0]! - unit.values[0]!)).toBeGreaterThan(1e-3);
  });

  test.prop([vector, fc.array(vector, { minLength: 1, maxLength: 12 })], { numRuns: 20 })(
    'with warm-up and cosine decay it is Adam with η_t = η · learningRateFactor(t)',
    (theta, gradients) => {
      const schedule = { warmupSteps: 3, decaySteps: 8 };
      const { values } = runAdam(theta, gradients, { learningRate: 0.01, clipNorm: 0, ...schedule });
      const expected = referenceAdam(theta, gradients, 0.01, 0, (t) => learningRateFactor(schedule, t));
      for (const [i, v] of values.entries()) expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5);
    },
  );

  it('resumes from its state exactly, and leaks no tensors', async () => {
    const rng = createRng(4);
    const gradients = Array.from({ length: 6 }, (_, k) => Array.from(rng.fork(`g${k}`).normalArray(1, 3)));
    const whole = runAdam([0, 1, 2], gradients, { learningRate: 0.05, clipNorm: 1 });
    const variables = [tf.variable(tf.tensor1d([0, 1])), tf.variable(tf.tensor1d([2]))];
    const step = (adam: ReturnType<typeof createAdam>, g: number[]) =>
      tf.tidy(() => {
        adam.apply([tf.tensor1d(g.slice(0, 2)), tf.tensor1d(g.slice(2))]);
      });
    const first = createAdam(variables, { learningRate: 0.05, clipNorm: 1 });
    for (const g of gradients.slice(0, 3)) step(first, g);
    const state = first.state();
    first.dispose();
    const second = createAdam(variables, { learningRate: 0.05, clipNorm: 1 }, state);
    await expectNoTensorLeak(() => {
      for (const g of gradients.slice(3)) step(second, g);
    });
    const resumed = variables.flatMap((v) => Array.from(v.dataSync()));
    second.dispose();
    tf.dispose(variables);
    expect(resumed).toEqual(whole.values);
  });
});

describe('learningRateFactor', () => {
  test.prop([
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 500 }),
    fc.integer({ min: 1, max: 1000 }),
  ])(
    'is the linear warm-up times the cosine decay to the floor, then the floor',
    (warmupSteps, decaySteps, t) => {
      const f = learningRateFactor({ warmupSteps, decaySteps }, t);
      const warm = warmupSteps === 0 ? 1 : Math.min(1, t / warmupSteps);
      const progress = decaySteps === 0 ? 0 : Math.min(1, t / decaySteps);
      const cosine =
        decaySteps === 0 ? 1 : LR_FLOOR + (1 - LR_FLOOR) * Math.cos((Math.PI * progress) / 2) ** 2;
      expect(f).toBeCloseTo(warm * cosine, 12);
    },
  );

  it('takes the values of its definition at the ends and the middle', () => {
    const schedule = { warmupSteps: 10, decaySteps: 100 };
    expect(learningRateFactor(schedule, 5)).toBeCloseTo(
      0.5 * (LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + Math.cos(Math.PI / 20))),
      12,
    );
    expect(learningRateFactor(schedule, 50)).toBeCloseTo((1 + LR_FLOOR) / 2, 12);
    expect(learningRateFactor(schedule, 100)).toBeCloseTo(LR_FLOOR, 12);
    expect(learningRateFactor(schedule, 10_000)).toBeCloseTo(LR_FLOOR, 12);
    expect(learningRateFactor({ warmupSteps: 0, decaySteps: 0 }, 7)).toBe(1);
  });
});

describe('createWeightAverage', () => {
  test.prop([
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 30 }),
    fc.constantFrom(0.5, 0.9, 0.999),
  ])(
    'is θ̄ ← d_t θ̄ + (1 − d_t) θ with the warm-up d_t = min(d, (1 + t)/(10 + t)) (float64 reference)',
    (sequence, decay) => {
      const variable = tf.variable(tf.tensor1d([1]));
      const average = createWeightAverage([variable], decay);
      let reference = 1;
      sequence.forEach((value, index) => {
        const t = index + 1;
        tf.tidy(() => variable.assign(tf.tensor1d([value])));
        average.update(t);
        const d = Math.min(decay, (1 + t) / (10 + t));
        reference = d * reference + (1 - d) * value;
      });
      const got = average.values()[0]![0]!;
      average.dispose();
      variable.dispose();
      expect(Math.abs(got - reference)).toBeLessThan(1e-5 * (1 + Math.abs(reference)));
    },
  );

  it('warm-up: after one update with d = 0.999 the average is 2/11 old + 9/11 new (not 0.999 old)', () => {
    const variable = tf.variable(tf.tensor1d([0]));
    const average = createWeightAverage([variable], 0.999);
    tf.tidy(() => variable.assign(tf.tensor1d([11])));
    average.update(1);
    expect(average.values()[0]![0]).toBeCloseTo(9, 5);
    average.dispose();
    variable.dispose();
  });
});
