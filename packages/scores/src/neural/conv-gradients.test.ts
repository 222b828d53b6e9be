import { test as propTest } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { installConvGradientKernels } from './conv-gradients.js';
import './layers.js';

beforeAll(() => {
  expect(installConvGradientKernels()).toBe(tf.getBackend() === 'wasm');
});

interface Case {
  readonly batch: number;
  readonly size: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly filter: number;
  readonly stride: number;
  readonly pad: 'same' | 'valid' | number;
  readonly seed: number;
}

/** Float64 reference: for L = Σ y ∘ g with y = x ⋆ W, ∂L/∂x and ∂L/∂W by direct accumulation over every product. */
function reference(c: Case, x: Float32Array, w: Float32Array, g: Float32Array, outSize: number, top: number) {
  const { batch: n, size: h, inChannels: ci, outChannels: co, filter: f, stride: s } = c;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < outSize; i++)
      for (let j = 0; j < outSize; j++)
        for (let p = 0; p < f; p++)
          for (let q = 0; q < f; q++) {
            const u = s * i + p - top;
            const v = s * j + q - top;
            if (u < 0 || v < 0 || u >= h || v >= h) continue;
            for (let k = 0; k < ci; k++)
              for (let o = 0; o < co; o++) {
                const gv = g[((b * outSize + i) * outSize + j) * co + o]!;
                const xi = ((b * h + u) * h + v) * ci + k;
                const wi = ((p * f + q) * ci + k) * co + o;
                dx[xi]! += gv * w[wi]!;
                dw[wi]! += gv * x[xi]!;
              }
          }
  return { dx, dw };
}

function maxGap(actual: Float32Array, expected: Float64Array): number {
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    gap = Math.max(gap, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return gap / Math.max(scale, 1);
}

const cases = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.integer({ min: 3, max: 9 }),
  inChannels: fc.integer({ min: 1, max: 4 }),
  outChannels: fc.integer({ min: 1, max: 4 }),
  filter: fc.constantFrom(1, 2, 3, 5),
  stride: fc.constantFrom(1, 1, 2),
  pad: fc.constantFrom<'same' | 'valid' | number>('same', 'valid', 1),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

describe('conv gradient kernels', () => {
  propTest.prop([cases], { numRuns: 40 })(
    'equal the float64 gradients of x ⋆ W for strides, pads and filter sizes',
    (c) => {
      fc.pre(c.filter <= c.size);
      const rng = createRng(c.seed);
      const x = rng.normalArray(c.batch * c.size * c.size, c.inChannels);
      const w = rng.normalArray(c.filter * c.filter * c.inChannels, c.outChannels);
      const xt = tf.tensor4d(x, [c.batch, c.size, c.size, c.inChannels]);
      const wt = tf.tensor4d(w, [c.filter, c.filter, c.inChannels, c.outChannels]);
      const y = tf.conv2d(xt, wt, c.stride, c.pad);
      const outSize = y.shape[1]!;
      const info = tf.backend_util.computeConv2DInfo(xt.shape, wt.shape, c.stride, 1, c.pad);
      const g = rng.normalArray(y.size / c.outChannels, c.outChannels);
      const gt = tf.tensor(g, y.shape);
      const [dx, dw] = tf.grads((...[a, b]: tf.Tensor[]) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), gt)),
      )([xt, wt]);
      const expected = reference(c, x, w, g, outSize, info.padInfo.top);
      // float32 sums of at most 5·5·4·3·9·9 products of N(0,1) numbers: relative error ≪ 1e−4.
      expect(maxGap(dx!.dataSync() as Float32Array, expected.dx)).toBeLessThan(1e-4);
      expect(maxGap(dw!.dataSync() as Float32Array, expected.dw)).toBeLessThan(1e-4);
      tf.dispose([xt, wt, y, gt, dx!, dw!]);
    },
  );

  it('is idempotent and leaks no tensor', async () => {
    expect(installConvGradientKernels()).toBe(tf.getBackend() === 'wasm');
    const x = tf.ones([2, 6, 6, 3]);
    const w = tf.ones([3, 3, 3, 4]);
    await expectNoTensorLeak(() => {
      const grads = tf.grads((...[a, b]: tf.Tensor[]) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')),
      )([x, w]);
      tf.dispose(grads);
    });
    tf.dispose([x, w]);
  });
});
