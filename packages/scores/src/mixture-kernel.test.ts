import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterEach, describe, expect } from 'vitest';
import { compileMixtureWasm, generatedModule } from '../scripts/build-wasm.mjs';
import { componentsFromSpec } from './components.js';
import { empiricalModel } from './empirical.js';
import { mixtureModel } from './mixture.js';
import { fusedScore, setMixtureKernel } from './mixture-kernel.js';
import { MIXTURE_WASM_BASE64 } from './mixture-kernel-wasm.generated.js';
import type { MixtureSpec } from './spec.js';

afterEach(() => setMixtureKernel('auto'));

interface Evaluated {
  score(x: tf.Tensor2D, a: number): tf.Tensor2D;
  logDensity(x: tf.Tensor2D, a: number): tf.Tensor1D;
}

/**
 * max |fused − tensor path| and max |tensor path| over the batch for the score, and the largest log-density gap
 * relative to the budget `allowance(log p)` of the tensor path's log-density.
 */
function gap(model: Evaluated, x: tf.Tensor2D, a: number, allowance: (logDensity: number) => number) {
  const fused = [model.score(x, a), model.logDensity(x, a)] as const;
  setMixtureKernel('tfjs');
  const plain = [model.score(x, a), model.logDensity(x, a)] as const;
  setMixtureKernel('auto');
  const [difference, scale] = tf.tidy(() => [
    tf.max(tf.abs(tf.sub(fused[0], plain[0]))).dataSync()[0]!,
    tf.max(tf.abs(plain[0])).dataSync()[0]!,
  ]);
  const [fusedDensity, plainDensity] = [fused[1].dataSync(), plain[1].dataSync()];
  let density = 0;
  plainDensity.forEach((v, i) => {
    density = Math.max(density, Math.abs(fusedDensity[i]! - v) / allowance(v));
  });
  tf.dispose([...fused, ...plain]);
  return { difference, scale, density };
}

const diagonalSpec = fc
  .record({ k: fc.integer({ min: 1, max: 13 }), d: fc.integer({ min: 1, max: 13 }) })
  .chain(({ k, d }) =>
    fc.record({
      weights: fc
        .array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: k, maxLength: k })
        .map((w) => {
          const total = w.reduce((s, v) => s + v, 0);
          return w.map((v) => v / total);
        }),
      means: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), {
        minLength: k,
        maxLength: k,
      }),
      // All isotropic (one kernel), or a mix with diagonal (another) and full ones (the dense kernel).
      covariances: fc.oneof(
        fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: k, maxLength: k }),
        fc.array(
          fc.oneof(
            fc.double({ min: 0.05, max: 2, noNaN: true }),
            fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: d, maxLength: d }),
            // Full: Σ = 0.3 B Bᵀ / d + 0.05 I, positive definite.
            fc
              .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d * d, maxLength: d * d })
              .map((b) =>
                Array.from({ length: d }, (_, r) =>
                  Array.from({ length: d }, (_, c) => {
                    let sum = r === c ? 0.05 : 0;
                    for (let t = 0; t < d; t++) sum += (0.3 * b[r * d + t]! * b[c * d + t]!) / d;
                    return sum;
                  }),
                ),
              ),
          ),
          { minLength: k, maxLength: k },
        ),
      ),
    }),
  );
const level = fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom(1, 1e-9, 0.999999));

describe('fused mixture kernels', () => {
  test('applies to every covariance kind on wasm for d ≤ 32', () => {
    const x = createRng(1).normal([3, 2]);
    const iso = componentsFromSpec({
      weights: [0.5, 0.5],
      means: [
        [0, 0],
        [1, 1],
      ],
      covariances: [0.1, 0.2],
    });
    const diagonal = componentsFromSpec({ weights: [1], means: [[0, 0]], covariances: [[0.1, 0.2]] });
    const full = componentsFromSpec({
      weights: [1],
      means: [[0, 0]],
      covariances: [
        [
          [0.1, 0],
          [0, 0.2],
        ],
      ],
    });
    const fused = fusedScore(iso, x, 0.5);
    const fusedDiagonal = fusedScore(diagonal, x, 0.5);
    expect(fused).not.toBeNull();
    expect(fusedDiagonal).not.toBeNull();
    const dense = fusedScore(full, x, 0.5);
    expect(dense).not.toBeNull();
    const wide = componentsFromSpec({ weights: [1], means: [new Array(33).fill(0)], covariances: [0.1] });
    const y = tf.zeros([2, 33]) as tf.Tensor2D;
    expect(fusedScore(wide, y, 0.5)).toBeNull(); // d > 32: the tensor path is faster
    y.dispose();
    setMixtureKernel('tfjs');
    expect(fusedScore(iso, x, 0.5)).toBeNull();
    tf.dispose([x, fused!, fusedDiagonal!, dense!]);
  });

  // Both paths are float32 with the error budget of mixture.test.ts (≤ 1e−3 of the score's scale against float64),
  // so they agree within twice that.
  test.prop([diagonalSpec, level, fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 40 })])(
    'equals the tensor path within float32 tolerance',
    (spec, a, seed, n) => {
      const model = mixtureModel(spec as MixtureSpec);
      const x = tf.tidy(() => tf.mul(createRng(seed).normal([n, model.dim]), 2) as tf.Tensor2D);
      // mixture.test.ts: each path's log-density is within 1e−4 (1 + |log p|) of float64.
      const { difference, scale, density } = gap(model, x, a, (v) => 2e-4 * (1 + Math.abs(v)));
      if (n > 0) expect(difference).toBeLessThanOrEqual(2e-3 * scale + 1e-6);
      expect(density).toBeLessThanOrEqual(1);
      x.dispose();
    },
  );

  test('d = 32, K = 10 (isotropic and diagonal), and an empirical model of 300 points, at a from 1e−6 to 1 − 1e−6', () => {
    const rng = createRng(5);
    const d = 32;
    const means = Array.from({ length: 10 }, () => Array.from(rng.normalArray(1, d), (v) => 0.5 * v));
    const model = mixtureModel({
      weights: new Array(10).fill(0.1),
      means,
      covariances: means.map((_, i) => 0.01 + 0.02 * (i % 5)),
    });
    const points = rng.normal([300, 8]);
    const data = empiricalModel(points);
    const diagonal = mixtureModel({
      weights: new Array(10).fill(0.1),
      means,
      covariances: means.map((_, i) => Array.from({ length: d }, (_, j) => 0.01 + 0.02 * ((i + j) % 5))),
    });
    const x = tf.tidy(() => tf.mul(model.sample(6, createRng(6)), Math.sqrt(0.5)) as tf.Tensor2D);
    const y = tf.tidy(() => tf.mul(data.sample(6, createRng(7)), 0.9) as tf.Tensor2D);
    for (const a of [1e-6, 0.3, 0.9, 0.999, 1 - 1e-6]) {
      for (const [m, input] of [
        [model, x],
        [diagonal, x],
        [data, y],
      ] as const) {
        // numerics.test.ts' budget for float32 log-densities of d terms: 1e−5 (100 + |log p|) per path.
        const { difference, scale, density } = gap(m, input, a, (v) => 2e-5 * (100 + Math.abs(v)));
        expect(difference).toBeLessThanOrEqual(2e-3 * scale + 1e-6);
        expect(density).toBeLessThanOrEqual(1);
      }
    }
    tf.dispose([x, y, points]);
  });

  test('leaks no tensor, and n = 0 gives an empty batch', async () => {
    const model = mixtureModel({ weights: [0.3, 0.7], means: [[-1], [1]], covariances: [0.2, 0.3] });
    const x = createRng(2).normal([50, 1]);
    await expectNoTensorLeak(() => {
      model.score(x, 0.4).dispose();
    });
    const empty = model.score(tf.zeros([0, 1]) as tf.Tensor2D, 0.4);
    expect(empty.shape).toEqual([0, 1]);
    tf.dispose([x, empty]);
  });
});

describe('the committed WebAssembly', () => {
  test('is the output of scripts/build-wasm.mjs for assembly/mixture.ts', { timeout: 60_000 }, async () => {
    const bytes = await compileMixtureWasm();
    expect(generatedModule(bytes)).toContain(`'${MIXTURE_WASM_BASE64}'`);
  });
});
