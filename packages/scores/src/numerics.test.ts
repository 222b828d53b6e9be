/**
 * float32 at scale (issue 3): d = 784 with 10 components, every level from a → 0 to a = 1, against a float64
 * reference for diagonal covariances (cheap to write exactly), and the full-covariance path against the diagonal one.
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { empiricalModel } from './empirical.js';
import { mixtureModel } from './mixture.js';

const d = 784;
const k = 10;
const rng = createRng(2024);
const meanValues = rng.normalArray(k, d);
const means = Array.from({ length: k }, (_, i) =>
  Array.from(meanValues.subarray(i * d, (i + 1) * d), (v) => 0.5 * v),
);
const variances = Array.from({ length: k }, (_, i) =>
  Array.from({ length: d }, (_, j) => 0.01 + 0.02 * ((i + j) % 5)),
);
const weights = Array.from({ length: k }, (_, i) => (i + 1) / ((k * (k + 1)) / 2));

/** Float64 score and log-density of the diagonal mixture (variance of component i, coordinate j), row by row. */
function reference(
  rows: number[][],
  a: number,
  variance: (i: number, j: number) => number = (i, j) => variances[i]![j]!,
) {
  return rows.map((x) => {
    const terms = means.map((mu, i) => {
      let logit = Math.log(weights[i]!);
      let magnitude = 0;
      const pull = new Array<number>(d);
      for (let j = 0; j < d; j++) {
        const c = a * variance(i, j) + 1 - a;
        const diff = Math.sqrt(a) * mu[j]! - x[j]!;
        pull[j] = diff / c;
        logit -= 0.5 * (Math.log(2 * Math.PI * c) + (diff * diff) / c);
        magnitude += 0.5 * (Math.abs(Math.log(2 * Math.PI * c)) + (diff * diff) / c);
      }
      return { logit, pull, magnitude };
    });
    const max = Math.max(...terms.map((t) => t.logit));
    const total = terms.reduce((s, t) => s + Math.exp(t.logit - max), 0);
    const score = new Array<number>(d).fill(0);
    for (const t of terms) {
      const r = Math.exp(t.logit - max) / total;
      for (let j = 0; j < d; j++) score[j]! += r * t.pull[j]!;
    }
    return {
      score,
      logDensity: max + Math.log(total),
      magnitude: Math.max(...terms.map((t) => t.magnitude)),
    };
  });
}

describe('d = 784, K = 10, float32', () => {
  const model = mixtureModel({ weights, means, covariances: variances });
  const isotropic = mixtureModel({ weights, means, covariances: variances.map((v) => v[0]!) });
  // Points of the data law noised to a = 0.5, and pure noise: typical inputs of a sampler.
  const x = tf.tidy(
    () =>
      tf.concat([
        tf.mul(model.sample(4, createRng(1)), Math.sqrt(0.5)),
        createRng(2).normal([4, d]),
      ]) as tf.Tensor2D,
  );

  /** Checks a model's score and log-density at level a against the float64 reference. */
  async function expectReference(
    m: typeof model,
    a: number,
    variance?: (i: number, j: number) => number,
  ): Promise<void> {
    const rows = (await x.array()) as number[][];
    const expected = reference(rows, a, variance);
    const [score, logDensity] = [m.score(x, a), m.logDensity(x, a)];
    const [scoreRows, densities] = [(await score.array()) as number[][], await logDensity.data()];
    tf.dispose([score, logDensity]);
    for (const [i, e] of expected.entries()) {
      // log p sums d terms ½ (log 2πc + diff²/c) of either sign: float32 keeps ≈ 1e−7 of the sum of their magnitudes
      // (≲ 2000 here) per term, with √d growth over d terms; ≥ 1e−5 of it covers that with room.
      expect(Math.abs(densities[i]! - e.logDensity)).toBeLessThan(1e-5 * (100 + e.magnitude));
      const scale = Math.max(...e.score.map(Math.abs));
      const worst = Math.max(...e.score.map((v, j) => Math.abs(scoreRows[i]![j]! - v)));
      expect(worst).toBeLessThan(1e-3 * scale + 1e-4);
    }
  }

  test.each([1e-10, 1e-3, 0.3, 0.9, 0.999, 1 - 1e-6, 1])(
    'a = %s: diagonal and isotropic models equal their float64 references',
    async (a) => {
      await expectReference(model, a);
      // The isotropic path (one variance per component) against the same reference with variance_i0 everywhere.
      await expectReference(isotropic, a, (i) => variances[i]![0]!);
    },
  );

  test('a full covariance that happens to be diagonal gives the diagonal model’s score (two code paths)', () => {
    const pick = [0, 1];
    const full = mixtureModel({
      weights: [0.4, 0.6],
      means: pick.map((i) => means[i]!),
      covariances: pick.map((i) =>
        Array.from({ length: d }, (_, r) =>
          Array.from({ length: d }, (_, c) => (r === c ? variances[i]![r]! : 0)),
        ),
      ),
    });
    const diagonal = mixtureModel({
      weights: [0.4, 0.6],
      means: pick.map((i) => means[i]!),
      covariances: pick.map((i) => variances[i]!),
    });
    const rows = tf.slice(x, [0, 0], [4, d]) as tf.Tensor2D;
    const [p, q] = [full.score(rows, 0.7), diagonal.score(rows, 0.7)];
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!);
    const scale = tf.tidy(() => tf.max(tf.abs(q)).dataSync()[0]!);
    expect(gap).toBeLessThan(1e-4 * scale);
    tf.dispose([rows, p, q]);
  });

  test('an empirical model of 64 points in d = 784 stays finite at a → 0 and a → 1', () => {
    const data = createRng(5).uniform([64, d]);
    const empirical = empiricalModel(data);
    for (const a of [1e-10, 0.5, 1 - 1e-6]) {
      const s = empirical.score(x, a);
      const l = empirical.logDensity(x, a);
      expect(tf.tidy(() => tf.logicalAnd(tf.all(tf.isFinite(s)), tf.all(tf.isFinite(l))).dataSync()[0])).toBe(
        1,
      );
      tf.dispose([s, l]);
    }
    data.dispose();
  });
});
