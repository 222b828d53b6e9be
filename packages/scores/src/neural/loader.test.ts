import { test as propTest } from '@fast-check/vitest';
import { createRng } from '@rtk-diffusion/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchSampler } from './loader.js';

describe('createBatchSampler', () => {
  propTest.prop([
    fc.integer({ min: 0, max: 2 ** 31 }),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 }),
  ])('visits every row once per epoch, and batch k depends only on (rng, k)', (seed, n, size) => {
    fc.pre(size <= n);
    const sampler = createBatchSampler(n, size, createRng(seed));
    const steps = Math.ceil((3 * n) / size);
    const stream = Array.from({ length: steps }, (_, k) => [...sampler.indices(k)]).flat();
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(stream.slice(epoch * n, (epoch + 1) * n).sort((a, b) => a - b)).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
    }
    // A fresh sampler asked for a late batch first (a resumed run) agrees.
    expect([...createBatchSampler(n, size, createRng(seed)).indices(steps - 1)]).toEqual(
      stream.slice((steps - 1) * size, steps * size),
    );
  });

  it('shuffles differently per epoch and per seed, and rejects bad sizes', () => {
    const a = createBatchSampler(100, 100, createRng(1));
    expect([...a.indices(0)]).not.toEqual([...a.indices(1)]);
    expect([...a.indices(0)]).not.toEqual([...createBatchSampler(100, 100, createRng(2)).indices(0)]);
    expect(() => createBatchSampler(10, 11, createRng(1))).toThrow(/batchSize must be an integer in 1…10/);
    expect(() => a.indices(-1)).toThrow(/step must be an integer ≥ 0/);
  });
});
